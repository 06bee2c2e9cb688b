import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { type JobSchedulerTemplateOptions, type Queue } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { ALL_QUEUES, JOB_OPTIONS, JOB_QUEUE, JobName, JobPayload, QueueName, OwnedQueues } from '@nutfleet/queue';

/**
 * The orchestrator only produces jobs; the worker consumes them. Producers fail fast while
 * Redis is down (see bullConnectionOptions), so callers get an error instead of a hang.
 */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly queues: ReadonlyMap<QueueName, Queue>;
  private readonly owned: OwnedQueues;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.owned = OwnedQueues.open(config.redis, 'producer', config.redis.keyPrefix);
    this.queues = new Map(ALL_QUEUES.map((name) => [name, this.owned.queue(name)] as const));
  }

  /** Enqueues a job with its registered options; `jobId` must come from the jobId() builder. */
  public async add<N extends JobName>(name: N, data: JobPayload<N>, options: { jobId: string }): Promise<void> {
    await this.queue(name).add(name, data, { ...JOB_OPTIONS[name], jobId: options.jobId });
  }

  /** Enqueues jobs of one kind in one call, in order; each `jobId` from the jobId() builders. */
  public async addBulk<N extends JobName>(
    name: N,
    jobs: ReadonlyArray<{ readonly data: JobPayload<N>; readonly jobId: string }>,
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(name).addBulk(
      jobs.map((job) => ({ name, data: job.data, opts: { ...JOB_OPTIONS[name], jobId: job.jobId } })),
    );
  }

  /** Creates or updates a recurring job; safe to call from every replica and at every start. */
  public async schedule<N extends JobName>(
    schedulerId: string,
    everyMs: number,
    name: N,
    data: JobPayload<N>,
  ): Promise<void> {
    const { jobId: _ignored, ...opts } = JOB_OPTIONS[name] as JobSchedulerTemplateOptions & { jobId?: string };
    await this.queue(name).upsertJobScheduler(schedulerId, { every: everyMs }, { name, data, opts });
  }

  public async onApplicationShutdown(): Promise<void> {
    await this.owned.close();
  }

  private queue(name: JobName): Queue {
    const queue = this.queues.get(JOB_QUEUE[name]);
    if (!queue) throw new Error(`no queue registered for job ${name}`);
    return queue;
  }
}
