import { type EpochMs, addSeconds, formatInstant, formatSeconds, secondsBetween } from './time';
import { type UpsHistory, type UpsId, isCleanlyOnLine } from './ups-observation';
import { readUpsTimeline } from './ups-timeline';

export interface PowerReturnInput {
  readonly planStartedAt: EpochMs;
  /** From the policy: after this many seconds the plan completes whatever happens. */
  readonly pointOfNoReturnSeconds: number;
  /** Power must stay back this long before it cancels anything (one flap must not). */
  readonly powerBackConfirmSeconds: number;
  /** Every UPS feeding a host of the plan: power is back only when all of them are. */
  readonly upsIds: readonly UpsId[];
  readonly histories: readonly UpsHistory[];
  readonly now: EpochMs;
}

export interface PowerReturnDecision {
  readonly pointOfNoReturnAt: EpochMs;
  /** `now` is at or past the point of no return. */
  readonly passed: boolean;
  readonly powerBack: boolean;
  /** When the last of the plan's UPSes came back on line. */
  readonly powerBackSince?: EpochMs;
  /**
   * - `continue`: power is not back (or not for long enough yet); run the plan on.
   * - `cancel-pending`: power came back before the point of no return: cancel the steps not
   *   started, let running ones finish, then hand over to a restart plan.
   * - `complete-plan`: power came back too late; the plan completes, a restart follows.
   */
  readonly action: 'continue' | 'cancel-pending' | 'complete-plan';
  /** Re-evaluate then if nothing else happens (end of the confirmation window). */
  readonly recheckAt?: EpochMs;
  readonly reasons: readonly string[];
}

/**
 * Decides what power coming back means for a running shutdown plan. The instant that counts
 * is when the return was *confirmed* (back + confirm seconds), not when we happen to evaluate:
 * a late evaluation still cancels if the confirmation came before the point of no return.
 */
export function evaluatePowerReturn(input: PowerReturnInput): PowerReturnDecision {
  const ponr = addSeconds(input.planStartedAt, input.pointOfNoReturnSeconds);
  const passed = input.now >= ponr;
  const histories = new Map(input.histories.map((h) => [h.upsId, h]));
  const reasons: string[] = [];

  let powerBackSince: EpochMs | undefined = Number.NEGATIVE_INFINITY;
  for (const upsId of [...new Set(input.upsIds)].sort()) {
    const history = histories.get(upsId);
    const facts = history === undefined ? undefined : readUpsTimeline(history, input.now, 0);
    const reading = facts?.lastReading;
    if (facts?.onLineSince === undefined || reading === undefined || !isCleanlyOnLine(reading)) {
      const state =
        reading === undefined
          ? 'no reading'
          : facts?.commLostSince !== undefined
            ? 'unreachable'
            : `status "${reading.status.join(' ')}"`;
      reasons.push(`${upsId} is not back on line (${state})`);
      powerBackSince = undefined;
      continue;
    }
    reasons.push(`${upsId} on line since ${formatInstant(facts.onLineSince)}`);
    if (powerBackSince !== undefined) powerBackSince = Math.max(powerBackSince, facts.onLineSince);
  }
  const ponrText = `point of no return ${formatInstant(ponr)} (${formatSeconds(input.pointOfNoReturnSeconds)} after the plan started)`;
  if (powerBackSince === undefined || powerBackSince === Number.NEGATIVE_INFINITY) {
    reasons.push(`power not back on every UPS of the plan; ${ponrText}`);
    return { pointOfNoReturnAt: ponr, passed, powerBack: false, action: 'continue', reasons };
  }

  const confirmedAt = addSeconds(powerBackSince, input.powerBackConfirmSeconds);
  if (confirmedAt >= ponr) {
    reasons.push(
      `power back at ${formatInstant(powerBackSince)}, confirmed no earlier than ${formatInstant(confirmedAt)}: past the ${ponrText}, so the plan completes`,
    );
    return {
      pointOfNoReturnAt: ponr,
      passed,
      powerBack: true,
      powerBackSince,
      action: 'complete-plan',
      reasons,
    };
  }
  if (confirmedAt > input.now) {
    reasons.push(
      `power back for ${formatSeconds(secondsBetween(powerBackSince, input.now))}, needs ${formatSeconds(input.powerBackConfirmSeconds)} before cancelling; ${ponrText}`,
    );
    return {
      pointOfNoReturnAt: ponr,
      passed,
      powerBack: true,
      powerBackSince,
      action: 'continue',
      recheckAt: confirmedAt,
      reasons,
    };
  }
  reasons.push(
    `power back since ${formatInstant(powerBackSince)}, confirmed at ${formatInstant(confirmedAt)} before the ${ponrText}: cancelling the steps not started`,
  );
  return {
    pointOfNoReturnAt: ponr,
    passed,
    powerBack: true,
    powerBackSince,
    action: 'cancel-pending',
    reasons,
  };
}
