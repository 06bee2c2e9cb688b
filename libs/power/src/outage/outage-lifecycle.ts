import { type EpochMs, addSeconds, formatInstant, formatSeconds } from '../time';
import { type UpsHistory, type UpsId, hasToken, isCalibrating, isOnBattery } from '../ups-observation';
import { type UpsTimelineFacts, readUpsTimeline } from '../ups-timeline';

/**
 * An outage, as a record with its own states (stored by the orchestrator, replayed by the
 * replay tool with the same rules):
 *
 *   open ──critical hosts──▶ shedding ──mains back on every UPS, stable──▶ power-back
 *     │                          ▲                                           │   │
 *     │                          └──────────── power lost again ─────────────┘   │
 *     │                                                                          ├─ nothing was powered off ─▶ closed
 *     └── mains back, stable, nothing planned ──▶ closed                          └─ shutdown done ─▶ restarting
 *   restarting ──restart finished, or the next outage opens──▶ closed
 *
 * Its UPSes are those that left line power during it: a UPS that never did (the second feed of
 * a host with minSupplies 2) never holds it open. Its identity is the record, never the clock:
 * an outage that ended is never resumed, the next OB or LB is a new one whatever the last plan
 * did. A restart ends it (`restarting` decides nothing): hosts it wakes are judged under a new
 * outage whose on-battery timers start no earlier than the restart.
 */
export type OutageState = 'open' | 'shedding' | 'power-back' | 'restarting' | 'closed';

export interface OutageSnapshot {
  readonly id: string;
  readonly state: OutageState;
  readonly openedAt: EpochMs;
  readonly timersFrom?: EpochMs;
  readonly upsIds: readonly UpsId[];
  readonly powerBackAt?: EpochMs;
  /** An operator cancelled its automatic shutdown: nothing more is planned for it by itself. */
  readonly disarmed: boolean;
}

/** What the outage's plans have done, as far as its lifecycle cares. */
export interface OutagePlanFacts {
  /** A shutdown plan of the outage has not finished yet (steps pending or running). */
  readonly shutdownRunning: boolean;
  /** Hosts the outage's plans took down (poweroff sent or verified). */
  readonly hostsPoweredOff: number;
  /** In `restarting`: the restart plan finished (in any state). */
  readonly restartFinished: boolean;
  /** When the latest restart plan was made (a new outage's timers start no earlier). */
  readonly lastRestartAt?: EpochMs;
}

export interface OutageLifecycleInput {
  /** The latest outage not closed yet, if any. */
  readonly outage?: OutageSnapshot;
  /** Histories of the UPSes that feed managed hosts. */
  readonly histories: readonly UpsHistory[];
  /** Hosts the decision engine finds critical now (hosts known to be off excluded). */
  readonly criticalHostIds: readonly string[];
  /** UPSes feeding the critical hosts. */
  readonly criticalUpsIds: readonly UpsId[];
  readonly plans: OutagePlanFacts;
  /** How long mains must be back on every UPS of the outage before it counts (the strictest policy's). */
  readonly powerBackConfirmSeconds: number;
  readonly now: EpochMs;
}

export type OutageAction =
  /** Close the current outage (it is restarting and the next one begins, or it is over). */
  | { readonly kind: 'close'; readonly reason: OutageCloseReason; readonly message: string }
  | {
      readonly kind: 'open';
      readonly openedAt: EpochMs;
      readonly upsIds: readonly UpsId[];
      readonly timersFrom?: EpochMs;
      readonly message: string;
    }
  | { readonly kind: 'add-upses'; readonly upsIds: readonly UpsId[] }
  /** Plan (or extend the plan for) the critical hosts: the outage is shedding. */
  | { readonly kind: 'shed'; readonly hostIds: readonly string[] }
  | { readonly kind: 'power-back'; readonly at: EpochMs; readonly message: string }
  | { readonly kind: 'power-lost-again'; readonly message: string }
  /** The shutdown is done and power is back: make the restart plan; the outage is restarting. */
  | { readonly kind: 'request-restart'; readonly message: string };

export type OutageCloseReason = 'power-back' | 'restarted' | 'superseded';

export interface OutageDecision {
  readonly actions: readonly OutageAction[];
  /** When time alone may change the outcome (the power-back window ends). */
  readonly recheckAt?: EpochMs;
}

/**
 * A UPS off line power: on battery (a calibration is not an outage), or FSD without mains. FSD on
 * mains is not: upsd keeps FSD latched after an outage until it restarts, and that latch must
 * not open outage after outage while the restart waits for it to clear. It still makes the hosts
 * it feeds critical (upsmon's rule), and critical hosts open an outage of their own.
 */
export function offLinePower(facts: UpsTimelineFacts): boolean {
  const reading = facts.lastReading;
  if (reading === undefined) return false;
  if (hasToken(reading, 'FSD') && facts.mainsSince === undefined) return true;
  return isOnBattery(reading) && !isCalibrating(reading);
}

/** One evaluation of the outage lifecycle: what to record, in order. */
export function advanceOutage(input: OutageLifecycleInput): OutageDecision {
  const { now } = input;
  const facts = new Map(input.histories.map((h) => [h.upsId, readUpsTimeline(h, now, 0)]));
  const offLine = [...facts]
    .filter(([, f]) => offLinePower(f))
    .map(([id]) => id)
    .sort();
  const outage = input.outage;
  const active = outage !== undefined && outage.state !== 'restarting' && outage.state !== 'closed';

  if (!active) {
    const actions: OutageAction[] = [];
    const starts = offLine.length > 0 || input.criticalHostIds.length > 0;
    if (outage?.state === 'restarting' && (starts || input.plans.restartFinished)) {
      actions.push(
        starts
          ? { kind: 'close', reason: 'superseded', message: 'power failed again: a new outage begins' }
          : { kind: 'close', reason: 'restarted', message: 'the restart finished' },
      );
    }
    if (!starts) return { actions };
    const upsIds = [...new Set([...offLine, ...input.criticalUpsIds.filter((id) => concerns(facts.get(id)))])].sort();
    const onsets = upsIds.map((id) => facts.get(id)?.onBatterySince).filter((t): t is EpochMs => t !== undefined);
    const openedAt = onsets.length > 0 ? Math.min(...onsets) : now;
    const restartAt = input.plans.lastRestartAt;
    // A restart made while these UPSes were already on battery: its hosts' timers start at the restart.
    const timersFrom = restartAt !== undefined && restartAt > openedAt ? restartAt : undefined;
    actions.push({
      kind: 'open',
      openedAt,
      upsIds,
      ...(timersFrom !== undefined ? { timersFrom } : {}),
      message: `outage opened: ${upsIds.length > 0 ? `${upsIds.join(', ')} off line power` : 'hosts critical'} since ${formatInstant(openedAt)}${timersFrom !== undefined ? `; on-battery timers start at the restart, ${formatInstant(timersFrom)}` : ''}`,
    });
    if (input.criticalHostIds.length > 0) actions.push({ kind: 'shed', hostIds: input.criticalHostIds });
    return { actions };
  }

  const actions: OutageAction[] = [];
  const critical = input.criticalUpsIds.filter((id) => concerns(facts.get(id)));
  const joined = [...new Set([...offLine, ...critical])].filter((id) => !outage.upsIds.includes(id)).sort();
  if (joined.length > 0) actions.push({ kind: 'add-upses', upsIds: joined });
  const upsIds = [...outage.upsIds, ...joined];

  // An outage with no UPS left off line power (its cause went away) is back from its start.
  const back = upsIds.length === 0 ? outage.openedAt : mainsBackSince(upsIds, facts);
  const confirmAt = back === undefined ? undefined : addSeconds(back, input.powerBackConfirmSeconds);
  if (back === undefined || confirmAt === undefined || confirmAt > now) {
    if (outage.state === 'power-back')
      actions.push({
        kind: 'power-lost-again',
        message: `power lost again on ${upsIds.filter((id) => !onMains(facts.get(id))).join(', ')} before the restart`,
      });
    if (input.criticalHostIds.length > 0 && !outage.disarmed)
      actions.push({ kind: 'shed', hostIds: input.criticalHostIds });
    return { actions, ...(confirmAt !== undefined && confirmAt > now ? { recheckAt: confirmAt } : {}) };
  }

  if (outage.state !== 'power-back')
    actions.push({
      kind: 'power-back',
      at: back,
      message: `mains back on ${upsIds.join(', ')} since ${formatInstant(back)}, stable for ${formatSeconds(input.powerBackConfirmSeconds)}`,
    });
  if (input.plans.shutdownRunning) return { actions };
  if (input.plans.hostsPoweredOff === 0) {
    actions.push({ kind: 'close', reason: 'power-back', message: 'power is back and no host was powered off' });
    return { actions };
  }
  actions.push({
    kind: 'request-restart',
    message: `power is back and the shutdown is done: restarting the ${input.plans.hostsPoweredOff} host(s) it took down`,
  });
  return { actions };
}

function onMains(facts: UpsTimelineFacts | undefined): boolean {
  return facts?.mainsSince !== undefined;
}

/** A UPS feeding critical hosts belongs to their outage when it is off mains or shows FSD. */
function concerns(facts: UpsTimelineFacts | undefined): boolean {
  const reading = facts?.lastReading;
  if (facts === undefined || reading === undefined) return false;
  return !onMains(facts) || hasToken(reading, 'FSD');
}

/** When mains was back on the last of these UPSes (each with no failed poll since); undefined while one is not. */
function mainsBackSince(upsIds: readonly UpsId[], facts: ReadonlyMap<UpsId, UpsTimelineFacts>): EpochMs | undefined {
  let latest = Number.NEGATIVE_INFINITY;
  for (const id of upsIds) {
    const since = facts.get(id)?.mainsSince;
    if (since === undefined) return undefined;
    latest = Math.max(latest, since);
  }
  return Number.isFinite(latest) ? latest : undefined;
}
