import { type Reason } from './decision-reason';
import { type ShutdownPolicy } from './shutdown-policy';
import { type EpochMs, addSeconds, formatInstant, formatSeconds, secondsBetween } from './time';
import { type UpsHistory, type UpsId, type UpsReading, hasToken, isOnBattery } from './ups-observation';
import { readUpsTimeline } from './ups-timeline';

/** Verdict on one UPS as a supply of hosts under one policy (NUT's `is_ups_critical`). */
export interface SupplyAssessment {
  readonly upsId: UpsId;
  readonly critical: boolean;
  readonly comm: 'ok' | 'lost' | 'no-data';
  /** Last known input state (the last reading, even during a silence). */
  readonly onBattery: boolean;
  readonly flapping: boolean;
  readonly lastReading?: UpsReading;
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

/**
 * Decides whether one UPS still counts as a healthy supply. Rules, in NUT's spirit:
 * FSD is critical; OB+LB is critical (unless CAL, after `lowBatteryConfirmSeconds`); the
 * threshold triggers only count once an on-battery episode outlived the flap guard, unless the
 * UPS is flapping; silence while last seen on battery is critical after DEADTIME, silence while
 * last seen on line never is. A UPS never heard from counts as healthy, as in upsmon.
 */
export function evaluateSupply(
  upsId: UpsId,
  history: UpsHistory | undefined,
  policy: ShutdownPolicy,
  now: EpochMs,
): SupplyAssessment {
  if (history === undefined) {
    return noData(upsId, 'no history for this UPS: counted as healthy, as upsmon does for a UPS it never heard from');
  }
  const facts = readUpsTimeline(history, now, policy.flap.windowSeconds);
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
  const statusText = reading.status.join(' ');

  checkCommLoss(c, upsId, facts.commLostSince, reading, policy, now);
  checkForcedShutdown(c, upsId, reading, policy);
  checkLowBattery(c, upsId, reading, facts.lowBatterySince, policy, now);

  if (flapping) {
    const firstOnset = facts.onsetsInWindow[0] ?? now;
    c.reasons.push({
      code: 'FLAPPING',
      upsId,
      message: `${upsId} went on battery ${facts.onsetsInWindow.length} times within ${formatSeconds(policy.flap.windowSeconds)} (limit ${policy.flap.maxOnsets}): treated as on battery since the first time, ${formatInstant(firstOnset)}`,
      values: {
        onsets: facts.onsetsInWindow.length,
        maxOnsets: policy.flap.maxOnsets,
        windowSeconds: policy.flap.windowSeconds,
      },
    });
    // The verdict may relax once the oldest onset slides out of the window.
    c.changes.push(addSeconds(firstOnset, policy.flap.windowSeconds));
    checkThresholds(c, upsId, reading, firstOnset, policy, now);
  } else if (onBattery && facts.onBatterySince !== undefined) {
    const since = facts.onBatterySince;
    const elapsed = secondsBetween(since, now);
    if (elapsed < policy.flap.guardSeconds) {
      const guardEnd = addSeconds(since, policy.flap.guardSeconds);
      c.reasons.push({
        code: 'BLIP_IGNORED',
        upsId,
        message: `${upsId} on battery for ${formatSeconds(elapsed)}, under the ${formatSeconds(policy.flap.guardSeconds)} flap guard: thresholds not checked yet`,
        values: { onBatterySeconds: elapsed, guardSeconds: policy.flap.guardSeconds },
      });
      c.changes.push(guardEnd);
      const predicted = predictThresholdInstant(reading, since, policy);
      if (predicted !== undefined) c.becomes.push(Math.max(predicted, guardEnd));
    } else {
      c.reasons.push({
        code: 'ON_BATTERY',
        upsId,
        message: `${upsId} on battery since ${formatInstant(since)} (${formatSeconds(elapsed)}), status "${statusText}"`,
        values: { onBatterySeconds: elapsed },
      });
      checkThresholds(c, upsId, reading, since, policy, now);
    }
  } else if (!onBattery) {
    c.reasons.push({ code: 'ON_LINE', upsId, message: `${upsId} on line power, status "${statusText}"` });
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

function checkCommLoss(
  c: Collector,
  upsId: UpsId,
  lostSince: EpochMs | undefined,
  reading: UpsReading,
  policy: ShutdownPolicy,
  now: EpochMs,
): void {
  if (lostSince === undefined) return;
  const silent = secondsBetween(lostSince, now);
  const deadtime = policy.commLoss.deadtimeSeconds;
  const values = { silentSeconds: silent, deadtimeSeconds: deadtime, lastSeenAt: formatInstant(reading.at) };
  if (!isOnBattery(reading)) {
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
      message: `${upsId} unreachable for ${formatSeconds(silent)} ≥ DEADTIME ${formatSeconds(deadtime)} and last seen on battery at ${formatInstant(reading.at)}: counted as critical`,
      values,
    });
    return;
  }
  const deadline = addSeconds(lostSince, deadtime);
  c.becomes.push(deadline);
  c.reasons.push({
    code: 'COMM_LOST_GRACE',
    upsId,
    message: `${upsId} unreachable for ${formatSeconds(silent)}, last seen on battery: critical at ${formatInstant(deadline)} (DEADTIME ${formatSeconds(deadtime)}) unless it answers`,
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
  if (hasToken(reading, 'CAL')) {
    c.reasons.push({
      code: 'CALIBRATION',
      upsId,
      message: `${upsId} shows OB LB during a calibration (CAL): not critical, as in upsmon`,
    });
    return;
  }
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
  reading: UpsReading,
  since: EpochMs,
  policy: ShutdownPolicy,
  now: EpochMs,
): void {
  const outcomes = thresholdOutcomes(upsId, reading, since, policy, now);
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
  reading: UpsReading,
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
    const runtime = reading.runtimeSeconds;
    const met = runtime !== undefined && runtime <= t.runtimeBelowSeconds;
    outcomes.push({
      name: 'runtime left',
      met,
      reason: {
        code: 'RUNTIME_LOW',
        upsId,
        message:
          runtime === undefined
            ? `${upsId} reports no battery.runtime: the runtime threshold cannot hold`
            : `${upsId} battery.runtime ${formatSeconds(runtime)} ${met ? '≤' : '>'} ${formatSeconds(t.runtimeBelowSeconds)} (policy "${policy.name}")`,
        values: { runtimeSeconds: runtime ?? 'unknown', thresholdSeconds: t.runtimeBelowSeconds },
      },
    });
  }
  if (t.chargeBelowPercent !== undefined) {
    const charge = reading.charge;
    const met = charge !== undefined && charge <= t.chargeBelowPercent;
    outcomes.push({
      name: 'charge',
      met,
      reason: {
        code: 'CHARGE_LOW',
        upsId,
        message:
          charge === undefined
            ? `${upsId} reports no battery.charge: the charge threshold cannot hold`
            : `${upsId} battery.charge ${charge} % ${met ? '≤' : '>'} ${t.chargeBelowPercent} % (policy "${policy.name}")`,
        values: { chargePercent: charge ?? 'unknown', thresholdPercent: t.chargeBelowPercent },
      },
    });
  }
  return outcomes;
}

/** During the flap guard: the instant the thresholds would hold if the readings stay as they are. */
function predictThresholdInstant(reading: UpsReading, since: EpochMs, policy: ShutdownPolicy): EpochMs | undefined {
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
        reading.runtimeSeconds !== undefined &&
        reading.runtimeSeconds <= t.runtimeBelowSeconds
          ? since
          : undefined,
    },
    {
      configured: t.chargeBelowPercent !== undefined,
      at:
        t.chargeBelowPercent !== undefined && reading.charge !== undefined && reading.charge <= t.chargeBelowPercent
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
