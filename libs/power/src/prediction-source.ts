import { type EpochMs } from './time';

/**
 * Where a predicted duration comes from, so that an operator can judge it: a policy's timeout
 * (nothing measured yet: the worst case), a built-in default, or a measurement of an earlier plan
 * or drill (which plan, when, from how many samples).
 */
export type PredictionSourceKind = 'policy' | 'default' | 'measured';

export const PREDICTION_SOURCE_KINDS: readonly PredictionSourceKind[] = ['policy', 'default', 'measured'];

export interface PredictionSource {
  readonly kind: PredictionSourceKind;
  /** The figure and its origin in words, e.g. `measured: 42 s in plan 1f0c… (2026-12-04T10:00:00Z)`. */
  readonly text: string;
  /** `policy`: the policy setting's name (e.g. `vmGuestShutdownTimeoutSecs`). */
  readonly setting?: string;
  /** `measured`: the plan (shutdown, restart or drill) it was measured in, when. */
  readonly planId?: string;
  readonly measuredAt?: EpochMs;
  /** `measured`: how many measurements the figure summarises. */
  readonly samples?: number;
}

/** A recorded source read back from a step detail; anything else is no source (older plans had none). */
export function readPredictionSource(value: unknown): PredictionSource | null {
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  if (typeof o.kind !== 'string' || !(PREDICTION_SOURCE_KINDS as readonly string[]).includes(o.kind)) return null;
  if (typeof o.text !== 'string') return null;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  return {
    kind: o.kind as PredictionSourceKind,
    text: o.text,
    ...(typeof o.setting === 'string' ? { setting: o.setting } : {}),
    ...(typeof o.planId === 'string' ? { planId: o.planId } : {}),
    ...(num(o.measuredAt) ? { measuredAt: o.measuredAt } : {}),
    ...(num(o.samples) ? { samples: o.samples } : {}),
  };
}

/** Where a measured duration was taken: the latest plan it was measured in, and how many were used. */
export interface MeasurementOrigin {
  readonly planId: string;
  readonly measuredAt: EpochMs;
  readonly samples: number;
}

/** One successful run of a step, as the history of armed plans recorded it. */
export interface DurationSample {
  readonly seconds: number;
  readonly planId: string;
  readonly finishedAt: EpochMs;
}

/**
 * The figure predictions use from a target's recent runs: the slowest of them (a prediction that
 * errs long keeps the battery margin honest), named by the latest run. Undefined without runs.
 */
export function summariseDurations(
  samples: readonly DurationSample[],
): { seconds: number; origin: MeasurementOrigin } | undefined {
  if (samples.length === 0) return undefined;
  const latest = samples.reduce((a, b) => (b.finishedAt > a.finishedAt ? b : a));
  return {
    seconds: Math.max(...samples.map((s) => s.seconds)),
    origin: { planId: latest.planId, measuredAt: latest.finishedAt, samples: samples.length },
  };
}

/**
 * A step's predicted duration and where it comes from: its measured duration when there is one
 * (never beyond the worst case, which the policy's timeouts cap), else the worst case itself.
 */
export function predictDuration(
  worstCaseSeconds: number,
  measuredSeconds: number | undefined,
  origin: MeasurementOrigin | undefined,
  worstCaseWhy: { readonly setting: string; readonly text: string },
): { seconds: number; source: PredictionSource } {
  if (measuredSeconds === undefined)
    return {
      seconds: worstCaseSeconds,
      source: {
        kind: 'policy',
        setting: worstCaseWhy.setting,
        text: `no measurement yet: the worst case, ${worstCaseWhy.text}`,
      },
    };
  const seconds = Math.min(measuredSeconds, worstCaseSeconds);
  const capped = seconds < measuredSeconds ? ` (capped at the worst case, ${worstCaseWhy.text})` : '';
  const where =
    origin === undefined
      ? ''
      : ` in plan ${origin.planId} at ${new Date(origin.measuredAt).toISOString()}, slowest of ${origin.samples} run${origin.samples === 1 ? '' : 's'}`;
  return {
    seconds,
    source: {
      kind: 'measured',
      text: `measured ${round(measuredSeconds)} s${where}${capped}`,
      ...(origin === undefined
        ? {}
        : { planId: origin.planId, measuredAt: origin.measuredAt, samples: origin.samples }),
    },
  };
}

const round = (s: number): number => Math.round(s * 10) / 10;
