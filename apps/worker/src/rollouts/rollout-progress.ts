import { isTerminal, type RolloutStepRow, type StepState } from '@nutfleet/plan';

/** What the rollout advancer needs of a host step: its wave (PlanStep.stage), state and end time. */
export type RolloutStepView = RolloutStepRow;

export interface RolloutSettings {
  readonly pauseSeconds: number;
  /** Stop once failed / finished hosts exceeds this (0.1 = more than 10 %). */
  readonly maxFailureRatio: number;
}

export type RolloutDecision =
  /** Start these PENDING steps (the next wave). */
  | { readonly kind: 'start'; readonly wave: number; readonly stepIds: readonly string[] }
  /** The wave in flight is not done yet: nothing to do until one of its hosts finishes. */
  | { readonly kind: 'running' }
  /** Pause between waves: come back at `at` (epoch ms). */
  | { readonly kind: 'wait'; readonly at: number; readonly wave: number }
  /** The failure ratio passed the threshold: later waves are not started. */
  | { readonly kind: 'stop'; readonly reason: string }
  | { readonly kind: 'finish'; readonly outcome: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' };

const COUNTED: readonly StepState[] = ['SUCCEEDED', 'FAILED', 'SKIPPED'];

/**
 * Where a rollout stands and what comes next. Waves run one after the other: a wave starts when
 * every earlier wave is finished, the failure ratio over all finished hosts is within the
 * threshold, and the pause since the last host finished has passed. The ratio is judged at wave
 * boundaries only: hosts already in flight finish (a command may be on its way), later waves
 * never start. Hosts blocked before their deploy (configuration problems) count as failures.
 */
export function decideRollout(
  steps: readonly RolloutStepView[],
  settings: RolloutSettings,
  cancelRequested: boolean,
  now: number,
): RolloutDecision {
  const waves = [...new Set(steps.map((s) => s.wave))].sort((a, b) => a - b);
  const finished = steps.filter((s) => COUNTED.includes(s.state));
  const failed = finished.filter((s) => s.state === 'FAILED').length;
  const allDone = steps.every((s) => isTerminal(s.state));
  if (cancelRequested || allDone) {
    if (!allDone) return { kind: 'running' };
    if (cancelRequested && steps.some((s) => s.state === 'CANCELLED')) return { kind: 'finish', outcome: 'CANCELLED' };
    return {
      kind: 'finish',
      outcome: steps.some((s) => s.state === 'FAILED' || s.state === 'CANCELLED') ? 'FAILED' : 'SUCCEEDED',
    };
  }
  for (const wave of waves) {
    const inWave = steps.filter((s) => s.wave === wave);
    if (inWave.every((s) => isTerminal(s.state))) continue;
    const pending = inWave.filter((s) => s.state === 'PENDING');
    // Part of the wave is queued or running: let it finish first (a resumed wave restarts whole).
    if (pending.length < inWave.length) return { kind: 'running' };
    const ratio = finished.length === 0 ? 0 : failed / finished.length;
    if (ratio > settings.maxFailureRatio) {
      return {
        kind: 'stop',
        reason:
          `failure ratio ${failed}/${finished.length} (${formatPercent(ratio)}) passed the threshold of ` +
          `${formatPercent(settings.maxFailureRatio)} before wave ${wave}; later waves were not started`,
      };
    }
    const earlier = steps.filter((s) => s.wave < wave && s.finishedAt !== null).map((s) => s.finishedAt as number);
    if (settings.pauseSeconds > 0 && earlier.length > 0) {
      const at = Math.max(...earlier) + settings.pauseSeconds * 1000;
      if (at > now) return { kind: 'wait', at, wave };
    }
    return { kind: 'start', wave, stepIds: pending.map((s) => s.id) };
  }
  return { kind: 'running' };
}

function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}
