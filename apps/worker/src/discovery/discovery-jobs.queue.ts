import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import {
  bullConnectionOptions,
  discoveryJobId,
  JOB_OPTIONS,
  JobName,
  jobPresence,
  type JobPresence,
  QueueName,
} from '@nutfleet/queue';

/** The worker's producer for discovery jobs, used by the run reconciler to re-add lost ones. */
@Injectable()
export class DiscoveryJobsQueue implements OnApplicationShutdown {
  private readonly queue: Queue;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = new Queue(QueueName.Inventory, {
      connection: bullConnectionOptions(config.redis.url, 'worker'),
      prefix: config.redis.keyPrefix,
    });
    this.queue.on('error', () => undefined);
  }

  public presence(runId: string, hostId: string): Promise<JobPresence> {
    return jobPresence(this.queue, discoveryJobId(runId, hostId));
  }

  /** Adds the host's job again under its deterministic id (a finished leftover is removed first). */
  public async readd(runId: string, hostId: string, presence: JobPresence): Promise<void> {
    const id = discoveryJobId(runId, hostId);
    if (presence === 'finished') await this.queue.remove(id);
    await this.queue.add(JobName.DiscoverHost, { runId, hostId }, { ...JOB_OPTIONS[JobName.DiscoverHost], jobId: id });
  }

  public async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
