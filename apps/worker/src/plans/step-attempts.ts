import { PLAN_STEP_RETRY } from '@nutfleet/queue';

import { type StepAttempt } from './step-executor';
import { sleep } from './step-outcome';

export interface StepAttemptsOptions {
  /** One attempt at the step (the executor's, in whatever context the carrier needs). */
  readonly attempt: (attemptsMade: number, attempts: number) => Promise<StepAttempt>;
  /** True once the carrier stops: no further attempt is started. */
  readonly stopped?: () => boolean;
  /** An attempt that threw (PostgreSQL unreachable for the claim, say): counted as a failed attempt. */
  readonly onError?: (error: unknown) => void;
  /** Milliseconds to wait before the attempt after `attemptsMade` (tests shorten it). */
  readonly backoffMs?: (attemptsMade: number) => number;
}

/**
 * Attempts one plan step until it is done or PLAN_STEP_RETRY's attempts are spent, waiting an
 * exponential, jittered backoff between attempts. Returns the step's recorded state, or
 * undefined when no attempt finished it: it stays QUEUED or RUNNING in PostgreSQL and the plan
 * reconciler hands it on. Shared by every carrier (a `plan.steps` job, the direct runner), so a
 * step is retried the same way whoever runs it.
 */
export async function attemptStep(options: StepAttemptsOptions): Promise<string | undefined> {
  const backoff = options.backoffMs ?? planStepBackoffMs;
  for (let made = 0; made < PLAN_STEP_RETRY.attempts && !options.stopped?.(); made++) {
    if (made > 0) await sleep(backoff(made - 1));
    try {
      const result = await options.attempt(made, PLAN_STEP_RETRY.attempts);
      if (result.kind === 'done') return result.state;
    } catch (error) {
      options.onError?.(error);
    }
  }
  return undefined;
}

/** Exponential from PLAN_STEP_RETRY.delayMs, each wait cut by up to its jitter share at random. */
export function planStepBackoffMs(attemptsMade: number, random: () => number = Math.random): number {
  const full = PLAN_STEP_RETRY.delayMs * 2 ** attemptsMade;
  return Math.round(full * (1 - PLAN_STEP_RETRY.jitter * random()));
}
