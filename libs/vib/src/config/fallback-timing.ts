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
 *
 * Adopted hosts (configured by hand before nutfleet) keep the values they ran whenever those are
 * safe, i.e. still make the VIB act only after nutfleet's plan would have finished:
 *   NutFinalDelay  kept when ≥ the value above (a longer wait after LB is later, never earlier);
 *   NutOnBatteryDelay kept when 0 (the VIB waits for LB, then NutFinalDelay: covered above), or
 *                  when T is defined and kept + NutFinalDelay ≥ T + D + M. With no time trigger of
 *                  nutfleet's own, any time-on-battery shutdown of the VIB would come first: refused.
 * A value refused is replaced by the computed one, and `adopted` says why.
 */
import { type ShutdownPolicy } from '@nutfleet/power';

export const FINAL_DELAY_MAX = 3600;
export const ON_BATTERY_DELAY_MAX = 86400;
export const DEFAULT_FALLBACK_MARGIN_SECONDS = 60;

/** The values a host ran when it was adopted (set by hand), kept while they are safe. */
export interface AdoptedFallbackTiming {
  readonly finalDelaySeconds: number | null;
  readonly onBatteryDelaySeconds: number | null;
}

export interface FallbackTimingInput {
  readonly policy: Pick<ShutdownPolicy, 'triggers'>;
  /** Worst-case seconds from plan start to the deadline of this host's power-off step (`buildShutdownPlan`). */
  readonly plannedShutdownDeadlineSeconds: number;
  readonly marginSeconds?: number;
  readonly adopted?: AdoptedFallbackTiming;
}

/** What became of one hand-set value: kept (it is the desired value), or refused and why. */
export type AdoptedValueVerdict =
  | { readonly value: number; readonly kept: true; readonly why: string }
  | { readonly value: number; readonly kept: false; readonly why: string };

export interface AdoptedTimingVerdicts {
  readonly finalDelay: AdoptedValueVerdict | null;
  readonly onBatteryDelay: AdoptedValueVerdict | null;
}

export interface FallbackTiming {
  readonly finalDelaySeconds: number;
  /** 0 = the VIB waits for low battery. */
  readonly onBatteryDelaySeconds: number;
  /** Where the VIB cannot wait long enough and might act before nutfleet's plan is done. */
  readonly warnings: readonly string[];
  /** Only with `adopted` in the input: which hand-set values are kept, which refused, and why. */
  readonly adopted?: AdoptedTimingVerdicts;
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
  const neededFinal = Math.min(FINAL_DELAY_MAX, wantedFinal);
  if (wantedFinal > FINAL_DELAY_MAX)
    warnings.push(
      `NutFinalDelay would need ${wantedFinal} s to wait for nutfleet's plan but the VIB allows at most ${FINAL_DELAY_MAX}: ` +
        `on low battery the host's own client may power it off before nutfleet's plan finishes`,
    );
  const handFinal = input.adopted?.finalDelaySeconds ?? null;
  const finalVerdict = handFinal === null ? null : judgeFinalDelay(handFinal, neededFinal);
  const finalDelaySeconds = finalVerdict?.kept === true ? finalVerdict.value : neededFinal;

  const t = standaloneOnBatterySeconds(input.policy);
  const handOnBattery = input.adopted?.onBatteryDelaySeconds ?? null;
  const onBatteryVerdict =
    handOnBattery === null
      ? null
      : judgeOnBatteryDelay(handOnBattery, finalDelaySeconds, t === undefined ? undefined : t + deadline + margin);
  let onBatteryDelaySeconds = 0;
  if (onBatteryVerdict?.kept === true) onBatteryDelaySeconds = onBatteryVerdict.value;
  else if (t !== undefined) {
    const wanted = Math.ceil(t + deadline + margin - finalDelaySeconds);
    onBatteryDelaySeconds = Math.min(ON_BATTERY_DELAY_MAX, Math.max(1, wanted));
    if (wanted > ON_BATTERY_DELAY_MAX)
      warnings.push(`NutOnBatteryDelay capped at ${ON_BATTERY_DELAY_MAX} s (wanted ${wanted} s)`);
  }
  return {
    finalDelaySeconds,
    onBatteryDelaySeconds,
    warnings,
    ...(input.adopted === undefined ? {} : { adopted: { finalDelay: finalVerdict, onBatteryDelay: onBatteryVerdict } }),
  };
}

function judgeFinalDelay(hand: number, needed: number): AdoptedValueVerdict {
  return hand >= needed
    ? {
        value: hand,
        kept: true,
        why: `${hand} s was set by hand before adoption and is kept: it is at least the ${needed} s nutfleet needs, so the host's own client still acts only after nutfleet's plan would have finished`,
      }
    : {
        value: hand,
        kept: false,
        why: `the ${hand} s set by hand before adoption is not kept: it is below the ${needed} s nutfleet needs, so on low battery the host's own client would power the host off before nutfleet's plan finished`,
      };
}

/** `needed`: T + D + M, when nutfleet has a time-on-battery trigger of its own. */
function judgeOnBatteryDelay(hand: number, finalDelay: number, needed: number | undefined): AdoptedValueVerdict {
  if (hand === 0)
    return {
      value: 0,
      kept: true,
      why: "0 was set by hand before adoption and is kept: the host's own client waits for low battery, then NutFinalDelay, which comes after nutfleet's plan",
    };
  if (needed === undefined)
    return {
      value: hand,
      kept: false,
      why: `the ${hand} s set by hand before adoption is not kept: nutfleet's policy has no time-on-battery trigger of its own, so the host's own client would power the host off after ${hand} + ${finalDelay} s on battery while nutfleet keeps it running`,
    };
  return hand + finalDelay >= needed
    ? {
        value: hand,
        kept: true,
        why: `${hand} s was set by hand before adoption and is kept: ${hand} + NutFinalDelay ${finalDelay} = ${hand + finalDelay} s on battery is at least T + D + M = ${Math.ceil(needed)} s, after nutfleet's plan would have finished`,
      }
    : {
        value: hand,
        kept: false,
        why: `the ${hand} s set by hand before adoption is not kept: ${hand} + NutFinalDelay ${finalDelay} = ${hand + finalDelay} s on battery is before T + D + M = ${Math.ceil(needed)} s, when nutfleet's plan would have finished`,
      };
}
