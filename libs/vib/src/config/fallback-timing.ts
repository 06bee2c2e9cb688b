/**
 * NutFinalDelay / NutOnBatteryDelay for a host, so that the VIB's own upsmon only ever acts
 * AFTER nutfleet's planned shutdown of that host would have finished (see README, "Fallback
 * timing"). Pure arithmetic on the policy and the plan's worst case.
 *
 *   D  = plannedShutdownDeadlineSeconds  worst case, from plan start to the deadline of the host's
 *                                        power-off step (stage waits + VM ladder + poweroff timeout)
 *   M  = marginSeconds (default 60)      detection + dispatch latency of nutfleet (UPS poll while on
 *                                        battery, policy evaluation, job pickup, SSH command)
 *   L  = triggers.lowBatteryConfirmSeconds  nutfleet waits this long after OB+LB; upsmon does not
 *   T  = triggers.onBatterySeconds       nutfleet's time-on-battery trigger, when it is one on its own
 *
 *   NutFinalDelay     = min(3600, L + D + M)
 *       upsmon sleeps FINALDELAY between its shutdown decision (LB, or FSD) and `poweroff`;
 *       nutfleet starts the plan at most L after LB and has sent this host's poweroff by D later.
 *   NutOnBatteryDelay = T undefined ? 0 : clamp(T + D + M - NutFinalDelay, 1, 86400)
 *       notify.sh runs `upsmon -c fsd` after NutOnBatteryDelay on battery, and upsmon then still
 *       sleeps FINALDELAY, so the host's own poweroff lands at NutOnBatteryDelay + NutFinalDelay
 *       = T + D + M at the earliest: after nutfleet's plan started at T and finished by T + D.
 *       With no time trigger (T undefined) the VIB waits for LB (0), like nutfleet.
 */
import { type ShutdownPolicy } from '@nutfleet/power';

export const FINAL_DELAY_MAX = 3600;
export const ON_BATTERY_DELAY_MAX = 86400;
export const DEFAULT_FALLBACK_MARGIN_SECONDS = 60;

export interface FallbackTimingInput {
  readonly policy: Pick<ShutdownPolicy, 'triggers'>;
  /** Worst-case seconds from plan start to the deadline of this host's power-off step (`buildShutdownPlan`). */
  readonly plannedShutdownDeadlineSeconds: number;
  readonly marginSeconds?: number;
}

export interface FallbackTiming {
  readonly finalDelaySeconds: number;
  /** 0 = the VIB waits for low battery. */
  readonly onBatteryDelaySeconds: number;
  /** Where the VIB cannot wait long enough and might act before nutfleet's plan is done. */
  readonly warnings: readonly string[];
}

/** The time trigger that fires on its own: `any` combination, or `all` with no other threshold set. */
export function standaloneOnBatterySeconds(policy: Pick<ShutdownPolicy, 'triggers'>): number | undefined {
  const t = policy.triggers;
  if (t.onBatterySeconds === undefined) return undefined;
  if (t.combination === 'any') return t.onBatterySeconds;
  return t.runtimeBelowSeconds === undefined && t.chargeBelowPercent === undefined ? t.onBatterySeconds : undefined;
}

export function computeFallbackTiming(input: FallbackTimingInput): FallbackTiming {
  const margin = input.marginSeconds ?? DEFAULT_FALLBACK_MARGIN_SECONDS;
  const deadline = input.plannedShutdownDeadlineSeconds;
  for (const [field, value] of [
    ['plannedShutdownDeadlineSeconds', deadline],
    ['marginSeconds', margin],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${field} must be a number ≥ 0, got ${value}`);
  }
  const warnings: string[] = [];
  const confirm = input.policy.triggers.lowBatteryConfirmSeconds;
  const wantedFinal = Math.ceil(confirm + deadline + margin);
  const finalDelaySeconds = Math.min(FINAL_DELAY_MAX, wantedFinal);
  if (wantedFinal > FINAL_DELAY_MAX)
    warnings.push(
      `NutFinalDelay would need ${wantedFinal} s to wait for nutfleet's plan but the VIB allows at most ${FINAL_DELAY_MAX}: ` +
        `on low battery the host's own client may power it off before nutfleet's plan finishes`,
    );
  const t = standaloneOnBatterySeconds(input.policy);
  let onBatteryDelaySeconds = 0;
  if (t !== undefined) {
    const wanted = Math.ceil(t + deadline + margin - finalDelaySeconds);
    onBatteryDelaySeconds = Math.min(ON_BATTERY_DELAY_MAX, Math.max(1, wanted));
    if (wanted > ON_BATTERY_DELAY_MAX)
      warnings.push(`NutOnBatteryDelay capped at ${ON_BATTERY_DELAY_MAX} s (wanted ${wanted} s)`);
  }
  return { finalDelaySeconds, onBatteryDelaySeconds, warnings };
}
