import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { type Queue } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import {
  OwnedQueues,
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
  private readonly owned: OwnedQueues;
  private readonly queue: Queue;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.owned = OwnedQueues.open(config.redis, 'worker', config.redis.keyPrefix);
    this.queue = this.owned.queue(QueueName.Inventory);
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
    await this.owned.close();
  }
}
