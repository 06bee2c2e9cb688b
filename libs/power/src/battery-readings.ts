import { type EpochMs, formatSeconds, secondsBetween } from './time';

/**
 * What a UPS's battery figures are worth. UPSes report sentinels and nonsense as numbers —
 * `battery.charge` -1, `battery.runtime` 0 on mains, 65535 at low load, -1, or always 0 on some
 * drivers — and acting on them shuts fleets down or wakes them into a dying battery. A figure
 * that is out of range or absurd is *unknown*: never a trigger, never a gate answer, and the
 * operator is told why.
 */
export type ReadingProblemCode =
  | 'CHARGE_OUT_OF_RANGE'
  | 'RUNTIME_NEGATIVE'
  | 'RUNTIME_SENTINEL'
  | 'RUNTIME_IMPLAUSIBLE'
  | 'RUNTIME_DISAGREES_WITH_DISCHARGE';

export interface ReadingProblem {
  readonly code: ReadingProblemCode;
  readonly message: string;
}

/** Runtimes that are a driver's "no value" rather than a measurement (16-bit all-ones and its signed twin). */
const RUNTIME_SENTINELS: readonly number[] = [32767, 32768, 65534, 65535];
/** Beyond 18 hours a reported runtime is a counter saturating, not a battery lasting. */
const RUNTIME_CEILING_SECONDS = 65534;
/** No battery gives more than ~10 minutes per percent of charge (16 h at full): more is a bogus figure. */
const MAX_SECONDS_PER_PERCENT = 600;
/** A runtime of 0 with this much charge left is the "0 on mains" / "always 0" driver quirk. */
const ZERO_RUNTIME_MIN_CHARGE = 10;
/** The UPS's runtime and the observed discharge disagree by more than this factor: trust the discharge. */
const DISAGREEMENT_FACTOR = 3;

/** A charge in 0–100 %, else unknown. */
export function saneCharge(charge: number | undefined): { value?: number; problem?: ReadingProblem } {
  if (charge === undefined) return {};
  if (Number.isFinite(charge) && charge >= 0 && charge <= 100) return { value: charge };
  return {
    problem: {
      code: 'CHARGE_OUT_OF_RANGE',
      message: `battery.charge ${String(charge)} is outside 0–100 %: treated as unknown`,
    },
  };
}

/** A runtime that can be a measurement given the charge, else unknown. */
export function saneRuntime(
  runtimeSeconds: number | undefined,
  charge: number | undefined,
): { value?: number; problem?: ReadingProblem } {
  if (runtimeSeconds === undefined) return {};
  const unknown = (code: ReadingProblemCode, why: string): { problem: ReadingProblem } => ({
    problem: { code, message: `battery.runtime ${String(runtimeSeconds)} ${why}: treated as unknown` },
  });
  if (!Number.isFinite(runtimeSeconds) || runtimeSeconds < 0) return unknown('RUNTIME_NEGATIVE', 'is negative');
  if (RUNTIME_SENTINELS.includes(runtimeSeconds) || runtimeSeconds >= RUNTIME_CEILING_SECONDS)
    return unknown('RUNTIME_SENTINEL', 'is a driver placeholder (65535-like), not a measurement');
  if (charge !== undefined) {
    if (runtimeSeconds === 0 && charge >= ZERO_RUNTIME_MIN_CHARGE)
      return unknown('RUNTIME_IMPLAUSIBLE', `is 0 with ${charge} % charge left`);
    if (charge > 0 && runtimeSeconds / charge > MAX_SECONDS_PER_PERCENT)
      return unknown(
        'RUNTIME_IMPLAUSIBLE',
        `is absurd for ${charge} % charge (over ${MAX_SECONDS_PER_PERCENT} s per percent)`,
      );
  }
  return { value: runtimeSeconds };
}

/** One battery sample: what the monitor read at an instant while the UPS was on battery. */
export interface BatterySample {
  readonly at: EpochMs;
  readonly charge: number;
}

export interface DischargePrediction {
  /** Seconds until the charge reaches `floorPercent` at the observed rate. */
  readonly runtimeSeconds: number;
  /** Percent per second, positive while discharging. */
  readonly ratePercentPerSecond: number;
  readonly basedOnSeconds: number;
  readonly samples: number;
}

/** Least span and drop of samples worth a prediction: below it the slope is noise. */
const MIN_PREDICTION_SPAN_SECONDS = 20;
const MIN_PREDICTION_DROP_PERCENT = 1;

/**
 * Predicts runtime from the observed discharge under the current load: a least-squares line
 * through the charge samples of the current on-battery episode, extended to `floorPercent`
 * (the UPS's `battery.charge.low` when it reports one: where it raises LB). Undefined while the
 * episode is too short or too flat to tell.
 */
export function predictRuntimeFromDischarge(
  samples: readonly BatterySample[],
  floorPercent = 0,
): DischargePrediction | undefined {
  const usable = samples.filter((s) => Number.isFinite(s.charge) && s.charge >= 0 && s.charge <= 100);
  if (usable.length < 2) return undefined;
  const first = usable[0];
  const last = usable[usable.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const span = secondsBetween(first.at, last.at);
  if (span < MIN_PREDICTION_SPAN_SECONDS || first.charge - last.charge < MIN_PREDICTION_DROP_PERCENT) return undefined;
  const xs = usable.map((s) => secondsBetween(first.at, s.at));
  const ys = usable.map((s) => s.charge);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] ?? my) - my);
    den += (x - mx) ** 2;
  });
  const slope = den === 0 ? 0 : num / den;
  if (!(slope < 0)) return undefined;
  const rate = -slope;
  return {
    runtimeSeconds: Math.max(0, (last.charge - floorPercent) / rate),
    ratePercentPerSecond: rate,
    basedOnSeconds: span,
    samples: usable.length,
  };
}

export interface BatteryAssessment {
  readonly charge?: number;
  /** The runtime decisions use: the UPS's own when plausible, else the prediction. */
  readonly runtimeSeconds?: number;
  readonly runtimeSource?: 'ups' | 'discharge';
  /** The UPS's own figure when it is usable, for display beside the prediction. */
  readonly reportedRuntimeSeconds?: number;
  readonly predicted?: DischargePrediction;
  readonly problems: readonly ReadingProblem[];
}

/**
 * The charge and runtime decisions may use, from a reading and the episode's discharge samples.
 * The UPS's runtime is used when plausible and not contradicted by the observed discharge
 * (beyond a factor of 3); otherwise the prediction, when there is one; otherwise unknown.
 */
export function assessBattery(
  reading: { readonly charge?: number; readonly runtimeSeconds?: number },
  samples: readonly BatterySample[] = [],
  floorPercent?: number,
): BatteryAssessment {
  const charge = saneCharge(reading.charge);
  const runtime = saneRuntime(reading.runtimeSeconds, charge.value);
  const problems: ReadingProblem[] = [charge.problem, runtime.problem].filter(
    (p): p is ReadingProblem => p !== undefined,
  );
  const predicted = predictRuntimeFromDischarge(samples, floorPercent);
  const base = {
    ...(charge.value !== undefined ? { charge: charge.value } : {}),
    ...(predicted !== undefined ? { predicted } : {}),
  };
  if (runtime.value !== undefined) {
    const ratio =
      predicted === undefined || predicted.runtimeSeconds <= 0 ? 1 : runtime.value / predicted.runtimeSeconds;
    if (predicted !== undefined && (ratio > DISAGREEMENT_FACTOR || ratio < 1 / DISAGREEMENT_FACTOR)) {
      problems.push({
        code: 'RUNTIME_DISAGREES_WITH_DISCHARGE',
        message: `battery.runtime ${formatSeconds(runtime.value)} disagrees with the observed discharge (${formatSeconds(Math.round(predicted.runtimeSeconds))} left at ${predicted.ratePercentPerSecond.toFixed(3)} %/s): the discharge is used`,
      });
      return {
        ...base,
        reportedRuntimeSeconds: runtime.value,
        runtimeSeconds: predicted.runtimeSeconds,
        runtimeSource: 'discharge',
        problems,
      };
    }
    return {
      ...base,
      reportedRuntimeSeconds: runtime.value,
      runtimeSeconds: runtime.value,
      runtimeSource: 'ups',
      problems,
    };
  }
  if (predicted !== undefined)
    return { ...base, runtimeSeconds: predicted.runtimeSeconds, runtimeSource: 'discharge', problems };
  return { ...base, problems };
}
