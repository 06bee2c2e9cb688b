/**
 * How a measured duration compares with what the plan predicted:
 * - `as-predicted`, `slower`, `faster`: a live step against its prediction;
 * - `fits`: a rehearsal's read-only part took no longer than the whole step is predicted to
 *   take (it cannot be compared further: nothing was shut down);
 * - `within-budget`, `over-budget`: steps the plan gives a timeout, not a prediction (restart);
 * - `not-measured`: the step did not run to its end.
 */
export type DurationVerdict =
  'as-predicted' | 'slower' | 'faster' | 'fits' | 'within-budget' | 'over-budget' | 'not-measured';

/** A deviation below this many seconds, or below TOLERANCE_RATIO of the prediction, is noise. */
export const TOLERANCE_SECONDS = 1;
export const TOLERANCE_RATIO = 0.25;

export interface DurationFigures {
  readonly predictedSeconds: number | null;
  readonly budgetSeconds: number | null;
  readonly measuredSeconds: number | null;
  /** A rehearsal ran only the read-only part of the step. */
  readonly readOnly: boolean;
}

export function compareDuration(f: DurationFigures): DurationVerdict {
  if (f.measuredSeconds === null) return 'not-measured';
  if (f.predictedSeconds === null) {
    if (f.budgetSeconds === null) return 'not-measured';
    return f.measuredSeconds > f.budgetSeconds ? 'over-budget' : 'within-budget';
  }
  const tolerance = Math.max(TOLERANCE_SECONDS, f.predictedSeconds * TOLERANCE_RATIO);
  if (f.measuredSeconds > f.predictedSeconds + tolerance) return 'slower';
  if (f.readOnly) return 'fits';
  if (f.measuredSeconds < f.predictedSeconds - tolerance) return 'faster';
  return 'as-predicted';
}

/** Seconds between two instants, to the millisecond; null unless both are known. */
export function secondsBetween(from: Date | null, to: Date | null): number | null {
  if (from === null || to === null) return null;
  return Math.round(to.getTime() - from.getTime()) / 1000;
}
