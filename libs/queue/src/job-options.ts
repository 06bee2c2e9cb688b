import { type JobsOptions } from 'bullmq';

import { JobName } from './job-names';

/**
 * Retries with exponential backoff (and jitter, so hosts failing together do not retry together);
 * completed jobs are trimmed, failed ones kept a week for inspection. PostgreSQL, not Redis,
 * remembers what was done: completion is never inferred from a job still being in Redis.
 */
export const DEFAULT_JOB_OPTIONS: Readonly<JobsOptions> = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const JOB_OPTIONS: Readonly<Record<JobName, Readonly<JobsOptions>>> = {
  [JobName.PrunePowerEvents]: { ...DEFAULT_JOB_OPTIONS, attempts: 3 },
  [JobName.PruneUpsSamples]: { ...DEFAULT_JOB_OPTIONS, attempts: 3 },
  // Removed once done so the same id can advance the plan again; the reconciler re-adds it anyway.
  [JobName.PlanAdvance]: { ...DEFAULT_JOB_OPTIONS, attempts: 3, removeOnComplete: true, removeOnFail: { age: 3600 } },
  // Each step retries inside the job (PLAN_STEP_RETRY); the job's own attempts only cover a
  // handler that failed as a whole, and a step already finished is never run twice. Completed
  // jobs are kept so a repeated add of the same id is a no-op.
  [JobName.PlanSteps]: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 3,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
  },
  // Only transient SSH failures are retried (the handler records the others and completes).
  [JobName.DiscoverHost]: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
  },
  // A mail server or chat webhook down for a few minutes still gets the message: 6 attempts,
  // exponential from 2 s (about two minutes in all), each failure recorded on the delivery row.
  [JobName.DeliverNotification]: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 6,
    backoff: { type: 'exponential', delay: 2000, jitter: 0.2 },
  },
  // Removed once done so the same id can advance the rollout again (after a pause, a resume).
  [JobName.RolloutAdvance]: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 3,
    removeOnComplete: true,
    removeOnFail: { age: 3600 },
  },
  // Transient SSH failures retry (the journal skips finished steps); anything else fails the host.
  [JobName.DeployHost]: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
  },
  // A check that fails is a result, not a job failure: one attempt; the next pass runs it again.
  // Kept shortly, so the same pass key is not added twice; a new pass has a new key.
  [JobName.CheckHostReadiness]: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 1,
    removeOnComplete: { age: 3600, count: 5000 },
    removeOnFail: { age: 24 * 3600, count: 5000 },
  },
};

/**
 * Attempts at one plan step, and the backoff between them (exponential from `delayMs`, with
 * `jitter` so hosts failing together do not retry together). Transient SSH failures retry
 * quickly: the battery is running out.
 */
export const PLAN_STEP_RETRY = { attempts: 4, delayMs: 500, jitter: 0.5 } as const;

/**
 * Plan steps one `plan.steps` job carries. One job per step cost a Redis add, fetch and finish
 * per step, and each BullMQ fetcher takes its share one round trip at a time before starting
 * any: at 1,000 hosts the last host's first step waited for hundreds of fetches. At 50, a
 * 1,000-host stage is 20 jobs (measured: 20 per job left its last first command 0.2–0.3 s
 * later), still enough to spread a 5,000-host stage over two workers' fetchers.
 */
export const PLAN_STEPS_PER_JOB = 50;
