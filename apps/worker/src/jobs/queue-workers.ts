import { type Job, Worker, type WorkerOptions } from 'bullmq';

import { scrubOpenedSecrets } from '@nutfleet/db';
import {
  ALL_QUEUES,
  bullConnectionOptions,
  JOB_QUEUE,
  type JobName,
  type QueueName,
  type RedisTarget,
} from '@nutfleet/queue';

import { toQueueFailure } from './job-failure.policy';
import { type JobHandler } from './job-handler';

export interface QueueWorkersOptions {
  redis: RedisTarget;
  prefix: string;
  concurrency: number;
  handlers: ReadonlyMap<JobName, JobHandler>;
  /** `debug` gets a line per job start and end: an outage of 1,000 hosts runs thousands of jobs in seconds. */
  log: { debug(msg: string): void; warn(msg: string): void; error(msg: string): void };
  queues?: readonly QueueName[];
  /** Per-queue overrides (e.g. the plans queue runs a whole stage at once and detects stalls sooner). */
  perQueue?: Partial<Record<QueueName, QueueWorkerTuning>>;
}

export type QueueWorkerTuning = Pick<
  WorkerOptions,
  'concurrency' | 'lockDuration' | 'stalledInterval' | 'maxStalledCount'
> & {
  /**
   * BullMQ Workers consuming this queue in this process, sharing its concurrency. One Worker
   * takes jobs one Redis round trip at a time; a 1,000-host stage queued at once is picked up
   * several times faster by a few fetching side by side.
   */
  fetchers?: number;
};

export interface StopResult {
  /** Jobs still running when the deadline passed; BullMQ hands them to another worker as stalled. */
  abandoned: string[];
}

/** One BullMQ Worker per queue, dispatching each job to the handler of its name. */
export class QueueWorkers {
  private readonly workers: Worker[] = [];
  private readonly active = new Map<string, string>();
  private readonly idleWaiters = new Set<() => void>();

  public constructor(private readonly options: QueueWorkersOptions) {}

  public start(): void {
    const connection = bullConnectionOptions(this.options.redis, 'worker');
    for (const queue of this.options.queues ?? ALL_QUEUES) {
      const { fetchers = 1, ...tuning } = this.options.perQueue?.[queue] ?? {};
      const concurrency = tuning.concurrency ?? this.options.concurrency;
      for (let i = 0; i < fetchers; i++) {
        const worker = new Worker(queue, (job: Job) => this.run(job), {
          connection,
          prefix: this.options.prefix,
          ...tuning,
          concurrency: Math.max(1, Math.ceil(concurrency / fetchers)),
        });
        worker.on('error', (error) => this.options.log.warn(`queue ${queue}: ${error.message}`));
        this.workers.push(worker);
      }
    }
  }

  /** Stops taking jobs, waits for the running ones until the deadline, then lets go of them. */
  public async stop(deadlineMs: number): Promise<StopResult> {
    // Pause first: worker.close() would wait for running jobs with no bound, and a later forced
    // close only returns that same pending promise.
    await Promise.all(this.workers.map((w) => w.pause(true)));
    const idle = await this.waitIdle(deadlineMs);
    const abandoned = idle ? [] : [...this.active.entries()].map(([id, name]) => `${name} ${id}`);
    await Promise.all(this.workers.map((w) => w.close(!idle)));
    return { abandoned };
  }

  private waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.active.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters.delete(onIdle);
        resolve(false);
      }, timeoutMs);
      const onIdle = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.add(onIdle);
    });
  }

  private async run(job: Job): Promise<unknown> {
    const name = job.name as JobName;
    const handler = this.options.handlers.get(name);
    if (!handler || JOB_QUEUE[name] !== job.queueName) {
      throw new Error(`job ${job.name} (${job.id}) arrived on queue ${job.queueName}, which does not serve it`);
    }
    const id = job.id ?? '?';
    this.active.set(id, name);
    const started = Date.now();
    this.options.log.debug(`job ${name} ${id} started (attempt ${job.attemptsMade + 1})`);
    try {
      const result = await handler.handle(job);
      this.options.log.debug(`job ${name} ${id} done in ${Date.now() - started} ms`);
      return result;
    } catch (thrown) {
      // Retry or not is decided on the error as thrown; what BullMQ stores is scrubbed of every secret opened.
      const failure = withoutSecrets(toQueueFailure(thrown));
      this.options.log.error(`job ${name} ${id} failed after ${Date.now() - started} ms: ${failure.message}`);
      // A failure a retry cannot help reaches BullMQ as UnrecoverableError: no attempts wasted on it.
      throw failure;
    } finally {
      this.active.delete(id);
      if (this.active.size === 0) {
        for (const notify of this.idleWaiters) notify();
        this.idleWaiters.clear();
      }
    }
  }
}

/**
 * The error BullMQ stores (failedReason, stacktrace — kept in Redis after a retry succeeds, and
 * shown by Bull Board), scrubbed of every secret this process opened. Scrubbed in place, so its
 * class (e.g. UnrecoverableError) still tells BullMQ what to do.
 */
export function withoutSecrets(thrown: unknown): Error {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  error.message = scrubOpenedSecrets(error.message);
  if (error.stack !== undefined) error.stack = scrubOpenedSecrets(error.stack);
  return error;
}
