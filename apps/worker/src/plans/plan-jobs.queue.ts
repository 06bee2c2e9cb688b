import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { type Queue } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import {
  OwnedQueues,
  JOB_OPTIONS,
  jobId,
  JobName,
  jobPresence,
  type JobPresence,
  planStepsJobData,
  QueueName,
  type StepBatch,
} from '@nutfleet/queue';

/** BullMQ waits for Redis indefinitely (its client queues commands while reconnecting): bound it. */
const QUEUE_CALL_TIMEOUT_MS = 2000;
/**
 * After a call timed out, later calls fail at once for this long: a shutdown plan's next stage
 * must not wait QUEUE_CALL_TIMEOUT_MS again to learn Redis is still down.
 */
const QUEUE_DOWN_HOLD_MS = 5000;

export class QueueUnavailableError extends Error {
  public constructor(operation: string, cause?: unknown) {
    super(`the plans queue did not take the ${operation} (Redis down?)`, cause === undefined ? undefined : { cause });
    this.name = 'QueueUnavailableError';
  }
}

/**
 * The worker's own producer for the plans queue: advancing a plan enqueues its next steps from
 * inside the worker, so a plan keeps going while the orchestrator is down. Every call is bounded:
 * past QUEUE_CALL_TIMEOUT_MS it fails with QueueUnavailableError and the caller falls back to
 * running the steps from PostgreSQL.
 */
@Injectable()
export class PlanJobsQueue implements OnApplicationShutdown {
  private readonly owned: OwnedQueues;
  private readonly queue: Queue;
  private downUntil = 0;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.owned = OwnedQueues.open(config.redis, 'worker', config.redis.keyPrefix);
    this.queue = this.owned.queue(QueueName.Plans);
  }

  /** One `plan.steps` job per batch, under the batch's id (an id Redis still holds is not added again). */
  public async addBatches(planId: string, batches: readonly StepBatch[]): Promise<void> {
    const jobs = batches.filter((b) => b.steps.length > 0);
    if (jobs.length === 0) return;
    await this.bounded('steps', () =>
      this.queue.addBulk(
        jobs.map((b) => ({
          name: JobName.PlanSteps,
          data: planStepsJobData(planId, b),
          opts: { ...JOB_OPTIONS[JobName.PlanSteps], jobId: b.jobId },
        })),
      ),
    );
  }

  public async addAdvance(planId: string, delayMs = 0): Promise<void> {
    await this.bounded('advance', () =>
      this.queue.add(
        JobName.PlanAdvance,
        { planId },
        {
          ...JOB_OPTIONS[JobName.PlanAdvance],
          jobId: jobId('plan', planId, 'advance'),
          ...(delayMs > 0 ? { delay: delayMs } : {}),
        },
      ),
    );
  }

  /** Whether Redis still holds a live job for this step (after a flush it holds none). */
  public presence(id: string): Promise<JobPresence> {
    return this.bounded('presence check', () => jobPresence(this.queue, id));
  }

  /** Drops a finished job so the same id can be added again. */
  public async remove(id: string): Promise<void> {
    await this.bounded('removal', () => this.queue.remove(id));
  }

  private async bounded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (Date.now() < this.downUntil) throw new QueueUnavailableError(operation);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new QueueUnavailableError(operation)), QUEUE_CALL_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.downUntil = Date.now() + QUEUE_DOWN_HOLD_MS;
      throw error instanceof QueueUnavailableError ? error : new QueueUnavailableError(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  public async onApplicationShutdown(): Promise<void> {
    await this.owned.close();
  }
}
