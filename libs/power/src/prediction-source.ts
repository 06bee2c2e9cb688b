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
