import { assessBattery } from './battery-readings';
import { PowerInputError } from './power-input.error';
import { type RestartPlan } from './restart-plan.types';
import { type EpochMs, addSeconds, formatInstant, formatSeconds, secondsBetween } from './time';
import { type UpsHistory, type UpsId, hasToken, isOnBattery } from './ups-observation';
import { readUpsTimeline } from './ups-timeline';

export interface RestartGatePolicy {
  /** Every UPS of the wave on line this long; any flap or silence restarts the window. */
  readonly stableSeconds: number;
  /** `battery.charge` at or above this opens the battery gate on its own. */
  readonly minChargePercent: number;
  /** Added to the measured shutdown duration for the survive-another-outage check. Default 60. */
  readonly safetyMarginSeconds?: number;
}

/** Measured durations of the last shutdown plan (what a second outage would cost). */
export interface LastShutdownMeasurement {
  /** Whole plan, first step to last host down. */
  readonly durationSeconds: number;
  /** Per UPS: from plan start until the last host it feeds was down. Preferred when present. */
  readonly perUpsSeconds?: Readonly<Record<UpsId, number>>;
}

export type RestartHostState = 'pending' | 'waking' | 'verified' | 'failed';

export interface RestartHostProgress {
  readonly hostId: string;
  readonly state: RestartHostState;
  /** When its first magic packet went out. */
  readonly wokenAt?: EpochMs;
}

export interface RestartGateInput {
  readonly plan: RestartPlan;
  readonly wave: number;
  readonly histories: readonly UpsHistory[];
  /** Reachability of each NUT server, from the monitor's last probe. */
  readonly nutServers: ReadonlyArray<{ readonly id: string; readonly reachable: boolean }>;
  readonly hostProgress: readonly RestartHostProgress[];
  readonly lastShutdown?: LastShutdownMeasurement;
  readonly policy: RestartGatePolicy;
  readonly now: EpochMs;
}

export type RestartGateName = 'earlier-waves' | 'power-stable' | 'fsd-clear' | 'battery' | 'nut-servers';

export interface RestartGateCheck {
  readonly gate: RestartGateName;
  readonly open: boolean;
  readonly reasons: readonly string[];
  /** Closed only because time has not passed yet: it may open at this instant. */
  readonly recheckAt?: EpochMs;
}

export interface RestartGateResult {
  readonly wave: number;
  readonly open: boolean;
  readonly checks: readonly RestartGateCheck[];
  /** Earliest instant a time-bound closed gate may open; absent if only new facts can open it. */
  readonly recheckAt?: EpochMs;
  /** Hosts of earlier waves that never came back within their timeout: report them. */
  readonly timedOutHostIds: readonly string[];
}

/** Decides whether a restart wave may start now. Every gate is evaluated so the operator sees all that is missing. */
export function evaluateRestartGate(input: RestartGateInput): RestartGateResult {
  const wave = input.plan.waves.find((w) => w.wave === input.wave);
  if (wave === undefined) throw new PowerInputError('wave', `the plan has no wave ${input.wave}`);
  const histories = new Map(input.histories.map((h) => [h.upsId, h]));
  const earlier = checkEarlierWaves(input);
  const checks: RestartGateCheck[] = [
    earlier.check,
    checkPowerStable(wave.upsIds, histories, input.policy, input.now),
    checkFsdClear(wave.upsIds, histories, input.now),
    checkBattery(wave.upsIds, histories, input.policy, input.lastShutdown, input.now),
    checkNutServers(wave.upsIds, histories, input.nutServers),
  ];
  const open = checks.every((c) => c.open);
  const closedTimes = checks.filter((c) => !c.open).map((c) => c.recheckAt);
  // Only when every closed gate is waiting on the clock is a re-check instant meaningful.
  const recheckAt =
    !open && closedTimes.every((t) => t !== undefined) ? Math.max(...closedTimes.map((t) => t ?? 0)) : undefined;
  return { wave: input.wave, open, checks, recheckAt, timedOutHostIds: earlier.timedOut };
}

function checkEarlierWaves(input: RestartGateInput): { check: RestartGateCheck; timedOut: string[] } {
  const progress = new Map(input.hostProgress.map((p) => [p.hostId, p]));
  const hostIds = input.plan.waves.filter((w) => w.wave < input.wave).flatMap((w) => w.hostIds);
  const timeout = input.plan.hostTimeoutSeconds;
  const reasons: string[] = [];
  const timedOut: string[] = [];
  const waitingUntil: EpochMs[] = [];
  let blockedForGood = false;
  for (const hostId of hostIds) {
    const p = progress.get(hostId);
    if (p?.state === 'verified') continue;
    if (p?.state === 'failed') {
      timedOut.push(hostId);
      reasons.push(`${hostId} failed to come back; reported, it does not hold this wave`);
      continue;
    }
    if (p?.wokenAt === undefined) {
      blockedForGood = true;
      reasons.push(`${hostId} of an earlier wave has not been woken yet`);
      continue;
    }
    const deadline = addSeconds(p.wokenAt, timeout);
    if (input.now >= deadline) {
      timedOut.push(hostId);
      reasons.push(
        `${hostId} not verified ${formatSeconds(secondsBetween(p.wokenAt, input.now))} after wake (timeout ${formatSeconds(timeout)}); reported, it no longer holds this wave`,
      );
    } else {
      waitingUntil.push(deadline);
      reasons.push(
        `${hostId} woken at ${formatInstant(p.wokenAt)}, not verified yet; waits until ${formatInstant(deadline)} at most`,
      );
    }
  }
  const open = !blockedForGood && waitingUntil.length === 0;
  if (open && reasons.length === 0)
    reasons.push(
      hostIds.length === 0 ? 'first wave: nothing earlier to wait for' : 'every host of earlier waves verified',
    );
  return {
    check: {
      gate: 'earlier-waves',
      open,
      reasons,
      recheckAt: open || blockedForGood ? undefined : Math.max(...waitingUntil),
    },
    timedOut,
  };
}

function checkPowerStable(
  upsIds: readonly UpsId[],
  histories: ReadonlyMap<UpsId, UpsHistory>,
  policy: RestartGatePolicy,
  now: EpochMs,
): RestartGateCheck {
  const reasons: string[] = [];
  let recheckAt: EpochMs | undefined = Number.NEGATIVE_INFINITY;
  for (const upsId of upsIds) {
    const history = histories.get(upsId);
    const facts = history === undefined ? undefined : readUpsTimeline(history, now, 0);
    if (facts?.onLineSince === undefined) {
      const reading = facts?.lastReading;
      const state =
        reading === undefined
          ? 'no reading'
          : facts?.commLostSince !== undefined
            ? 'unreachable'
            : `status "${reading.status.join(' ')}"`;
      reasons.push(`${upsId} not on line (${state})`);
      recheckAt = undefined;
      continue;
    }
    const stableFor = secondsBetween(facts.onLineSince, now);
    if (stableFor >= policy.stableSeconds) {
      reasons.push(`${upsId} on line for ${formatSeconds(stableFor)} ≥ ${formatSeconds(policy.stableSeconds)}`);
      continue;
    }
    const at = addSeconds(facts.onLineSince, policy.stableSeconds);
    reasons.push(
      `${upsId} on line for ${formatSeconds(stableFor)} only (since ${formatInstant(facts.onLineSince)}), stable at ${formatInstant(at)}`,
    );
    if (recheckAt !== undefined) recheckAt = Math.max(recheckAt, at);
  }
  const open = reasons.length === 0 || recheckAt === Number.NEGATIVE_INFINITY;
  if (upsIds.length === 0) reasons.push('no UPS feeds this wave');
  return { gate: 'power-stable', open, reasons, recheckAt: open || recheckAt === undefined ? undefined : recheckAt };
}

function checkBattery(
  upsIds: readonly UpsId[],
  histories: ReadonlyMap<UpsId, UpsHistory>,
  policy: RestartGatePolicy,
  last: LastShutdownMeasurement | undefined,
  now: EpochMs,
): RestartGateCheck {
  const margin = policy.safetyMarginSeconds ?? 60;
  const reasons: string[] = [];
  let open = true;
  for (const upsId of upsIds) {
    const history = histories.get(upsId);
    const facts = history === undefined ? undefined : readUpsTimeline(history, now, 0);
    const reading = facts?.lastReading;
    // Sentinels (charge -1, runtime 65535) are unknown here too: never what opens this gate.
    const battery =
      reading === undefined
        ? undefined
        : assessBattery(reading, isOnBattery(reading) ? (facts?.episodeSamples ?? []) : [], reading.chargeLowPercent);
    for (const problem of battery?.problems ?? []) reasons.push(`${upsId}: ${problem.message}`);
    const charge = battery?.charge;
    if (charge !== undefined && charge >= policy.minChargePercent) {
      reasons.push(`${upsId} charge ${charge} % ≥ ${policy.minChargePercent} %`);
      continue;
    }
    const chargeText = charge === undefined ? 'charge unknown' : `charge ${charge} % < ${policy.minChargePercent} %`;
    const runtime = battery?.runtimeSeconds;
    const needed = last === undefined ? undefined : (last.perUpsSeconds?.[upsId] ?? last.durationSeconds) + margin;
    if (runtime !== undefined && needed !== undefined && runtime >= needed) {
      reasons.push(
        `${upsId} ${chargeText}, but runtime ${formatSeconds(runtime)} ≥ ${formatSeconds(needed)} (last shutdown ${formatSeconds(needed - margin)} + margin ${formatSeconds(margin)}): it survives another full shutdown`,
      );
      continue;
    }
    open = false;
    const survive =
      needed === undefined
        ? 'no measured shutdown to judge a second outage'
        : runtime === undefined
          ? 'runtime unknown'
          : `runtime ${formatSeconds(runtime)} < ${formatSeconds(needed)} needed for another full shutdown (last shutdown ${formatSeconds(needed - margin)} + margin ${formatSeconds(margin)})`;
    reasons.push(`${upsId} ${chargeText} and ${survive}: hold until it charges`);
  }
  return { gate: 'battery', open, reasons };
}

/**
 * upsd keeps FSD latched until it (or the driver) restarts, and reports it to every client that
 * connects: a host woken now would meet it through its own NUT client and shut down again at once.
 */
function checkFsdClear(
  upsIds: readonly UpsId[],
  histories: ReadonlyMap<UpsId, UpsHistory>,
  now: EpochMs,
): RestartGateCheck {
  const reasons: string[] = [];
  let open = true;
  for (const upsId of upsIds) {
    const history = histories.get(upsId);
    const reading = history === undefined ? undefined : readUpsTimeline(history, now, 0).lastReading;
    if (reading !== undefined && hasToken(reading, 'FSD')) {
      open = false;
      reasons.push(
        `${upsId} shows FSD, latched in upsd since the shutdown: a woken host's NUT client would shut it down again at once. Clear it by restarting upsd on its NUT server (e.g. systemctl restart nut-server); this gate opens when FSD is gone`,
      );
    }
  }
  if (open) reasons.push(upsIds.length === 0 ? 'no UPS feeds this wave' : 'no UPS of this wave shows FSD');
  return { gate: 'fsd-clear', open, reasons };
}

function checkNutServers(
  upsIds: readonly UpsId[],
  histories: ReadonlyMap<UpsId, UpsHistory>,
  servers: ReadonlyArray<{ readonly id: string; readonly reachable: boolean }>,
): RestartGateCheck {
  const reachability = new Map(servers.map((s) => [s.id, s.reachable]));
  const serverIds = [
    ...new Set(upsIds.map((u) => histories.get(u)?.nutServerId).filter((id): id is string => id !== undefined)),
  ].sort();
  const reasons: string[] = [];
  let open = true;
  for (const id of serverIds) {
    const reachable = reachability.get(id);
    if (reachable === true) {
      reasons.push(`NUT server ${id} reachable`);
    } else {
      open = false;
      // A wave woken without its NUT server would run unprotected through the next outage.
      reasons.push(
        `NUT server ${id} ${reachable === false ? 'unreachable' : 'not probed yet'}: hosts would come back unprotected`,
      );
    }
  }
  if (serverIds.length === 0) reasons.push('no NUT server known for the UPSes of this wave');
  return { gate: 'nut-servers', open, reasons };
}
