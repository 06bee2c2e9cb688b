import { type BatteryAssessment, assessBattery } from './battery-readings';
import { type Reason } from './decision-reason';
import { type ShutdownPolicy } from './shutdown-policy';
import { type EpochMs, addSeconds, formatInstant, formatSeconds, secondsBetween } from './time';
import {
  type UpsHistory,
  type UpsId,
  type UpsReading,
  hasToken,
  isCalibrating,
  isOff,
  isOnBattery,
} from './ups-observation';
import { type UpsTimelineFacts, readUpsTimeline } from './ups-timeline';

/** Verdict on one UPS as a supply of hosts under one policy (NUT's `is_ups_critical`). */
export interface SupplyAssessment {
  readonly upsId: UpsId;
  readonly critical: boolean;
  readonly comm: 'ok' | 'lost' | 'no-data';
  /** Last known input state (the last reading, even during a silence). */
  readonly onBattery: boolean;
  readonly flapping: boolean;
  readonly lastReading?: UpsReading;
  /** Charge and runtime as decisions use them (sentinels removed, runtime predicted when needed). */
  readonly battery?: BatteryAssessment;
  /** When the supply turns critical if nothing but time changes. */
  readonly becomesCriticalAt?: EpochMs;
  /** Earliest future instant at which time alone may change this verdict: re-evaluate then. */
  readonly nextChangeAt?: EpochMs;
  readonly reasons: readonly Reason[];
}

interface Collector {
  critical: boolean;
  reasons: Reason[];
  changes: EpochMs[];
  becomes: EpochMs[];
}

/** A calibrating UPS reporting less input than this has no mains: its calibration is a real outage. */
const NO_INPUT_VOLTS = 20;

/**
 * Decides whether one UPS still counts as a healthy supply, with upsmon's semantics where it has
 * them: FSD is critical; OB+LB is critical (unless a believable calibration excuses it, after
 * `lowBatteryConfirmSeconds`); OFF is critical after OFFDURATION; silence while last seen on
 * battery or OFF is critical DEADTIME after the last good poll, silence while last seen on line
 * never is. The threshold triggers are upssched's timers: they count the current on-battery
 * episode only (any return to line power cancels them), ignore blips shorter than the flap guard,
 * and never act on a charge or runtime that is a sentinel. A UPS never heard from is healthy.
 *
 * `timersFrom`: on-battery timers (and the flap window) start no earlier than this — the hosts a
 * restart woke are judged under a new outage whose timers start at the restart. LB, FSD, OFF and
 * comm loss still count at once.
 */
export function evaluateSupply(
  upsId: UpsId,
  history: UpsHistory | undefined,
  policy: ShutdownPolicy,
  now: EpochMs,
  timersFrom?: EpochMs,
): SupplyAssessment {
  if (history === undefined) {
    return noData(upsId, 'no history for this UPS: counted as healthy, as upsmon does for a UPS it never heard from');
  }
  const facts = readUpsTimeline(history, now, policy.flap.windowSeconds, timersFrom);
  const reading = facts.lastReading;
  if (reading === undefined) {
    return noData(
      upsId,
      'no successful poll yet: counted as healthy, as upsmon does for a UPS it never heard from',
      facts.commLostSince !== undefined,
    );
  }

  const c: Collector = { critical: false, reasons: [], changes: [], becomes: [] };
  const onBattery = isOnBattery(reading);
  const flapping = facts.onsetsInWindow.length >= policy.flap.maxOnsets;
  const battery = assessBattery(reading, onBattery ? facts.episodeSamples : [], reading.chargeLowPercent);
  for (const problem of battery.problems)
    c.reasons.push({
      code: 'READING_UNKNOWN',
      upsId,
      message: `${upsId}: ${problem.message}`,
      values: { problem: problem.code },
    });

  checkCommLoss(c, upsId, facts, reading, policy, now);
  checkForcedShutdown(c, upsId, reading, policy);
  checkOff(c, upsId, facts, reading, policy, now);
  const excused = checkCalibration(c, upsId, facts, reading, battery, policy, now);
  if (!excused) checkLowBattery(c, upsId, reading, facts.lowBatterySince, policy, now);

  if (flapping) {
    c.reasons.push({
      code: 'FLAPPING',
      upsId,
      message: `${upsId} went on battery ${facts.onsetsInWindow.length} times within ${formatSeconds(policy.flap.windowSeconds)} (limit ${policy.flap.maxOnsets}): charge and runtime are checked on every episode, however short; each return to line power still resets the time on battery`,
      values: {
        onsets: facts.onsetsInWindow.length,
        maxOnsets: policy.flap.maxOnsets,
        windowSeconds: policy.flap.windowSeconds,
      },
    });
    // The verdict may relax once the oldest onset slides out of the window.
    const oldest = facts.onsetsInWindow[0];
    if (oldest !== undefined) c.changes.push(addSeconds(oldest, policy.flap.windowSeconds));
  }

  if (onBattery && facts.onBatterySince !== undefined && !excused && !isOff(reading)) {
    const since = timersFrom === undefined ? facts.onBatterySince : Math.max(facts.onBatterySince, timersFrom);
    checkBudget(c, upsId, facts, policy, now);
    const elapsed = secondsBetween(since, now);
    if (elapsed < policy.flap.guardSeconds) {
      const guardEnd = addSeconds(since, policy.flap.guardSeconds);
      c.changes.push(guardEnd);
      if (flapping) {
        // A battery drained by repeated blips is caught by what it reports, not by the clock.
        checkThresholds(c, upsId, battery, since, policy, now, { skipTime: true });
      } else {
        c.reasons.push({
          code: 'BLIP_IGNORED',
          upsId,
          message: `${upsId} on battery for ${formatSeconds(elapsed)}, under the ${formatSeconds(policy.flap.guardSeconds)} flap guard: thresholds not checked yet`,
          values: { onBatterySeconds: elapsed, guardSeconds: policy.flap.guardSeconds },
        });
        const predicted = predictThresholdInstant(battery, since, policy);
        if (predicted !== undefined) c.becomes.push(Math.max(predicted, guardEnd));
      }
    } else {
      c.reasons.push({
        code: 'ON_BATTERY',
        upsId,
        message: `${upsId} on battery since ${formatInstant(since)} (${formatSeconds(elapsed)}), status "${reading.status.join(' ')}"`,
        values: { onBatterySeconds: elapsed },
      });
      checkThresholds(c, upsId, battery, since, policy, now, { skipTime: false });
    }
  } else if (!onBattery) {
    c.reasons.push({ code: 'ON_LINE', upsId, message: `${upsId} on line power, status "${reading.status.join(' ')}"` });
  }

  const future = (list: EpochMs[]): EpochMs | undefined => {
    const later = list.filter((at) => at > now);
    return later.length > 0 ? Math.min(...later) : undefined;
  };
  return {
    upsId,
    critical: c.critical,
    comm: facts.commLostSince !== undefined ? 'lost' : 'ok',
    onBattery,
    flapping,
    lastReading: reading,
    battery,
    becomesCriticalAt: c.critical ? undefined : future(c.becomes),
    nextChangeAt: future([...c.changes, ...c.becomes]),
    reasons: c.reasons,
  };
}

function noData(upsId: UpsId, message: string, commLost = false): SupplyAssessment {
  return {
    upsId,
    critical: false,
    comm: commLost ? 'lost' : 'no-data',
    onBattery: false,
    flapping: false,
    reasons: [{ code: 'NO_DATA', upsId, message: `${upsId}: ${message}` }],
  };
}

/** DEADTIME, counted from the last good poll: last seen on battery or OFF → critical; on line → never. */
function checkCommLoss(
  c: Collector,
  upsId: UpsId,
  facts: UpsTimelineFacts,
  reading: UpsReading,
  policy: ShutdownPolicy,
  now: EpochMs,
): void {
  if (facts.commLostSince === undefined) return;
  const lastGood = facts.silentSince ?? facts.commLostSince;
  const silent = secondsBetween(lastGood, now);
  const deadtime = policy.commLoss.deadtimeSeconds;
  const values = { silentSeconds: silent, deadtimeSeconds: deadtime, lastGoodAt: formatInstant(lastGood) };
  const lastSeen = isOnBattery(reading) ? 'on battery' : isOff(reading) ? 'OFF (not feeding its load)' : undefined;
  if (lastSeen === undefined) {
    c.reasons.push({
      code: 'COMM_LOST_ON_LINE',
      upsId,
      message: `${upsId} unreachable for ${formatSeconds(silent)} but last seen on line ("${reading.status.join(' ')}"): a lost connection alone never shuts anything down`,
      values,
    });
    return;
  }
  if (silent >= deadtime) {
    c.critical = true;
    c.reasons.push({
      code: 'COMM_LOST_ON_BATTERY',
      upsId,
      message: `${upsId} unreachable since its last good poll at ${formatInstant(lastGood)} (${formatSeconds(silent)} ≥ DEADTIME ${formatSeconds(deadtime)}), last seen ${lastSeen}: counted as critical`,
      values,
    });
    return;
  }
  const deadline = addSeconds(lastGood, deadtime);
  c.becomes.push(deadline);
  c.reasons.push({
    code: 'COMM_LOST_GRACE',
    upsId,
    message: `${upsId} unreachable for ${formatSeconds(silent)}, last seen ${lastSeen}: critical at ${formatInstant(deadline)} (DEADTIME ${formatSeconds(deadtime)} after its last good poll) unless it answers`,
    values,
  });
}

function checkForcedShutdown(c: Collector, upsId: UpsId, reading: UpsReading, policy: ShutdownPolicy): void {
  if (!policy.triggers.onForcedShutdown || !hasToken(reading, 'FSD')) return;
  c.critical = true;
  c.reasons.push({
    code: 'FORCED_SHUTDOWN',
    upsId,
    message: `${upsId} reports FSD (forced shutdown)`,
    values: { status: reading.status.join(' ') },
  });
}

/** upsmon 2.8.1+ OFFDURATION: OFF (not feeding the load) stops counting as a supply once it lasts. */
function checkOff(
  c: Collector,
  upsId: UpsId,
  facts: UpsTimelineFacts,
  reading: UpsReading,
  policy: ShutdownPolicy,
  now: EpochMs,
): void {
  if (!isOff(reading) || facts.offSince === undefined) return;
  const limit = policy.off.offDurationSeconds;
  const lasted = secondsBetween(facts.offSince, now);
  if (limit === undefined) {
    c.reasons.push({
      code: 'UPS_OFF_IGNORED',
      upsId,
      message: `${upsId} reports OFF for ${formatSeconds(lasted)}; policy "${policy.name}" never counts OFF (OFFDURATION -1)`,
    });
    return;
  }
  if (lasted >= limit) {
    c.critical = true;
    c.reasons.push({
      code: 'UPS_OFF',
      upsId,
      message: `${upsId} OFF (not feeding its load) for ${formatSeconds(lasted)} ≥ OFFDURATION ${formatSeconds(limit)}: no longer a supply`,
      values: { offSeconds: lasted, offDurationSeconds: limit },
    });
    return;
  }
  const at = addSeconds(facts.offSince, limit);
  c.becomes.push(at);
  c.reasons.push({
    code: 'UPS_OFF_PENDING',
    upsId,
    message: `${upsId} reports OFF for ${formatSeconds(lasted)}: critical at ${formatInstant(at)} if it lasts ${formatSeconds(limit)} (OFFDURATION)`,
    values: { offSeconds: lasted, offDurationSeconds: limit },
  });
}

/**
 * A calibration (CAL) excuses LB and the thresholds, as in upsmon — but not below the emergency
 * floor, not past the longest believable calibration (a stuck CAL meant no shutdown at all), and
 * not when the UPS reports no input voltage (a real outage during a calibration). Returns whether
 * the calibration still excuses.
 */
function checkCalibration(
  c: Collector,
  upsId: UpsId,
  facts: UpsTimelineFacts,
  reading: UpsReading,
  battery: BatteryAssessment,
  policy: ShutdownPolicy,
  now: EpochMs,
): boolean {
  if (!isCalibrating(reading) || facts.calibratingSince === undefined) return false;
  const rules = policy.calibration;
  const lasted = secondsBetween(facts.calibratingSince, now);
  if (battery.charge !== undefined && battery.charge <= rules.emergencyChargePercent) {
    c.critical = true;
    c.reasons.push({
      code: 'CALIBRATION_EMERGENCY',
      upsId,
      message: `${upsId} is calibrating but its charge is ${battery.charge} % ≤ the ${rules.emergencyChargePercent} % emergency floor: critical`,
      values: { chargePercent: battery.charge, floorPercent: rules.emergencyChargePercent },
    });
    return false;
  }
  if (battery.runtimeSeconds !== undefined && battery.runtimeSeconds <= rules.emergencyRuntimeSeconds) {
    c.critical = true;
    c.reasons.push({
      code: 'CALIBRATION_EMERGENCY',
      upsId,
      message: `${upsId} is calibrating but its runtime is ${formatSeconds(Math.round(battery.runtimeSeconds))} ≤ the ${formatSeconds(rules.emergencyRuntimeSeconds)} emergency floor: critical`,
      values: { runtimeSeconds: battery.runtimeSeconds, floorSeconds: rules.emergencyRuntimeSeconds },
    });
    return false;
  }
  if (rules.noInputVoltageEndsExcuse && reading.inputVoltage !== undefined && reading.inputVoltage < NO_INPUT_VOLTS) {
    c.reasons.push({
      code: 'CALIBRATION_NO_INPUT',
      upsId,
      message: `${upsId} shows CAL but reports ${reading.inputVoltage} V on its input: a real outage, the calibration excuses nothing`,
      values: { inputVoltage: reading.inputVoltage },
    });
    return false;
  }
  if (lasted >= rules.maxSeconds) {
    c.reasons.push({
      code: 'CALIBRATION_TOO_LONG',
      upsId,
      message: `${upsId} has shown CAL for ${formatSeconds(lasted)} ≥ ${formatSeconds(rules.maxSeconds)}: a stuck calibration flag, no longer believed`,
      values: { calibratingSeconds: lasted, maxSeconds: rules.maxSeconds },
    });
    return false;
  }
  c.changes.push(addSeconds(facts.calibratingSince, rules.maxSeconds));
  c.reasons.push({
    code: 'CALIBRATION',
    upsId,
    message: `${upsId} is calibrating (CAL for ${formatSeconds(lasted)}): LB and the policy's thresholds are suspended, as in upsmon, until ${formatInstant(addSeconds(facts.calibratingSince, rules.maxSeconds))} or the emergency floor (${rules.emergencyChargePercent} % / ${formatSeconds(rules.emergencyRuntimeSeconds)})`,
  });
  return true;
}

function checkLowBattery(
  c: Collector,
  upsId: UpsId,
  reading: UpsReading,
  lbSince: EpochMs | undefined,
  policy: ShutdownPolicy,
  now: EpochMs,
): void {
  if (!policy.triggers.onLowBattery || !isOnBattery(reading) || !hasToken(reading, 'LB') || lbSince === undefined)
    return;
  const lasted = secondsBetween(lbSince, now);
  const confirm = policy.triggers.lowBatteryConfirmSeconds;
  if (lasted >= confirm) {
    c.critical = true;
    c.reasons.push({
      code: 'LOW_BATTERY',
      upsId,
      message: `${upsId} on battery with LOW BATTERY for ${formatSeconds(lasted)}${confirm > 0 ? ` (confirmation ${formatSeconds(confirm)})` : ''}`,
      values: { lowBatterySeconds: lasted, confirmSeconds: confirm },
    });
    return;
  }
  const at = addSeconds(lbSince, confirm);
  c.becomes.push(at);
  c.reasons.push({
    code: 'LOW_BATTERY_PENDING',
    upsId,
    message: `${upsId} on battery with LOW BATTERY for ${formatSeconds(lasted)}, critical at ${formatInstant(at)} if it lasts ${formatSeconds(confirm)}`,
    values: { lowBatterySeconds: lasted, confirmSeconds: confirm },
  });
}

/** The optional cumulative budget: time on battery summed over the window, whatever the blips. */
function checkBudget(c: Collector, upsId: UpsId, facts: UpsTimelineFacts, policy: ShutdownPolicy, now: EpochMs): void {
  const budget = policy.flap.onBatteryBudgetSeconds;
  if (budget === undefined) return;
  const used = facts.onBatterySecondsInWindow;
  if (used >= budget) {
    c.critical = true;
    c.reasons.push({
      code: 'ON_BATTERY_BUDGET',
      upsId,
      message: `${upsId} has been on battery ${formatSeconds(Math.round(used))} within ${formatSeconds(policy.flap.windowSeconds)} ≥ the ${formatSeconds(budget)} budget of policy "${policy.name}"`,
      values: { onBatterySeconds: used, budgetSeconds: budget },
    });
    return;
  }
  c.becomes.push(addSeconds(now, budget - used));
}

interface ThresholdOutcome {
  readonly name: string;
  readonly met: boolean;
  readonly reason: Reason;
  /** For time-based thresholds not met yet: when they will be. */
  readonly metAt?: EpochMs;
}

function checkThresholds(
  c: Collector,
  upsId: UpsId,
  battery: BatteryAssessment,
  since: EpochMs,
  policy: ShutdownPolicy,
  now: EpochMs,
  options: { skipTime: boolean },
): void {
  const outcomes = thresholdOutcomes(upsId, battery, since, policy, now).filter(
    (o) => !(options.skipTime && o.reason.code === 'ON_BATTERY_TIME'),
  );
  if (outcomes.length === 0) return;
  const met = outcomes.filter((o) => o.met);
  const all = policy.triggers.combination === 'all';
  const holds = all ? met.length === outcomes.length : met.length > 0;
  if (holds) {
    c.critical = true;
    c.reasons.push(...met.map((o) => o.reason));
    return;
  }
  if (all && met.length > 0) {
    const missing = outcomes.filter((o) => !o.met).map((o) => o.name);
    c.reasons.push({
      code: 'THRESHOLDS_NOT_ALL_MET',
      upsId,
      message: `${upsId}: ${met.map((o) => o.name).join(', ')} met but policy "${policy.name}" needs all thresholds; still missing: ${missing.join(', ')}`,
      values: { met: met.length, required: outcomes.length },
    });
  }
  // With "all", the clock alone makes the supply critical only if everything else already holds.
  if (all && met.length < outcomes.length - 1) return;
  for (const o of outcomes) {
    if (!o.met && o.metAt !== undefined) c.becomes.push(o.metAt);
  }
}

function thresholdOutcomes(
  upsId: UpsId,
  battery: BatteryAssessment,
  since: EpochMs,
  policy: ShutdownPolicy,
  now: EpochMs,
): ThresholdOutcome[] {
  const t = policy.triggers;
  const outcomes: ThresholdOutcome[] = [];
  if (t.onBatterySeconds !== undefined) {
    const elapsed = secondsBetween(since, now);
    const met = elapsed >= t.onBatterySeconds;
    outcomes.push({
      name: 'time on battery',
      met,
      metAt: met ? undefined : addSeconds(since, t.onBatterySeconds),
      reason: {
        code: 'ON_BATTERY_TIME',
        upsId,
        message: `${upsId} on battery for ${formatSeconds(elapsed)} ${met ? '≥' : '<'} ${formatSeconds(t.onBatterySeconds)} (policy "${policy.name}")`,
        values: { onBatterySeconds: elapsed, thresholdSeconds: t.onBatterySeconds },
      },
    });
  }
  if (t.runtimeBelowSeconds !== undefined) {
    const runtime = battery.runtimeSeconds;
    const met = runtime !== undefined && runtime <= t.runtimeBelowSeconds;
    const source = battery.runtimeSource === 'discharge' ? ' predicted from the observed discharge' : '';
    outcomes.push({
      name: 'runtime left',
      met,
      reason: {
        code: 'RUNTIME_LOW',
        upsId,
        message:
          runtime === undefined
            ? `${upsId} has no usable battery.runtime: the runtime threshold cannot hold`
            : `${upsId} runtime${source} ${formatSeconds(Math.round(runtime))} ${met ? '≤' : '>'} ${formatSeconds(t.runtimeBelowSeconds)} (policy "${policy.name}")`,
        values: { runtimeSeconds: runtime ?? 'unknown', thresholdSeconds: t.runtimeBelowSeconds },
      },
    });
  }
  if (t.chargeBelowPercent !== undefined) {
    const charge = battery.charge;
    const met = charge !== undefined && charge <= t.chargeBelowPercent;
    outcomes.push({
      name: 'charge',
      met,
      reason: {
        code: 'CHARGE_LOW',
        upsId,
        message:
          charge === undefined
            ? `${upsId} has no usable battery.charge: the charge threshold cannot hold`
            : `${upsId} battery.charge ${charge} % ${met ? '≤' : '>'} ${t.chargeBelowPercent} % (policy "${policy.name}")`,
        values: { chargePercent: charge ?? 'unknown', thresholdPercent: t.chargeBelowPercent },
      },
    });
  }
  return outcomes;
}

/** During the flap guard: the instant the thresholds would hold if the readings stay as they are. */
function predictThresholdInstant(
  battery: BatteryAssessment,
  since: EpochMs,
  policy: ShutdownPolicy,
): EpochMs | undefined {
  const t = policy.triggers;
  const candidates: Array<{ configured: boolean; at: EpochMs | undefined }> = [
    {
      configured: t.onBatterySeconds !== undefined,
      at: t.onBatterySeconds === undefined ? undefined : addSeconds(since, t.onBatterySeconds),
    },
    {
      configured: t.runtimeBelowSeconds !== undefined,
      at:
        t.runtimeBelowSeconds !== undefined &&
        battery.runtimeSeconds !== undefined &&
        battery.runtimeSeconds <= t.runtimeBelowSeconds
          ? since
          : undefined,
    },
    {
      configured: t.chargeBelowPercent !== undefined,
      at:
        t.chargeBelowPercent !== undefined && battery.charge !== undefined && battery.charge <= t.chargeBelowPercent
          ? since
          : undefined,
    },
  ];
  const configured = candidates.filter((x) => x.configured);
  if (configured.length === 0) return undefined;
  const known = configured.map((x) => x.at).filter((at): at is EpochMs => at !== undefined);
  if (t.combination === 'all') return known.length === configured.length ? Math.max(...known) : undefined;
  return known.length > 0 ? Math.min(...known) : undefined;
}
