import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { type Queue } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import {
  OwnedQueues,
  deployHostJobId,
  JOB_OPTIONS,
  JobName,
  jobPresence,
  type JobPresence,
  QueueName,
  rolloutAdvanceJobId,
} from '@nutfleet/queue';

/** The worker's producer for the rollouts queue: a rollout moves on while the orchestrator is down. */
@Injectable()
export class RolloutJobsQueue implements OnApplicationShutdown {
  private readonly owned: OwnedQueues;
  private readonly queue: Queue;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.owned = OwnedQueues.open(config.redis, 'worker', config.redis.keyPrefix);
    this.queue = this.owned.queue(QueueName.Rollouts);
  }

  /**
   * One deploy job per host. A finished job with the same id (an earlier round before a resume)
   * is dropped first, otherwise BullMQ would treat the add as a duplicate and never run it.
   */
  public async addDeploys(planId: string, steps: ReadonlyArray<{ id: string; hostId: string }>): Promise<void> {
    if (steps.length === 0) return;
    await Promise.all(
      steps.map(async (s) => {
        const id = deployHostJobId(planId, s.hostId);
        if ((await this.presence(id)) === 'finished') await this.queue.remove(id);
      }),
    );
    await this.queue.addBulk(
      steps.map((s) => ({
        name: JobName.DeployHost,
        data: { planId, stepId: s.id, hostId: s.hostId },
        opts: { ...JOB_OPTIONS[JobName.DeployHost], jobId: deployHostJobId(planId, s.hostId) },
      })),
    );
  }

  public async addAdvance(planId: string, delayMs = 0): Promise<void> {
    const id = rolloutAdvanceJobId(planId);
    // A delayed advance (pause between waves) already waiting keeps its id: replace it.
    if (delayMs > 0 && (await this.queue.getJobState(id)) === 'delayed') await this.queue.remove(id);
    await this.queue.add(
      JobName.RolloutAdvance,
      { planId },
      { ...JOB_OPTIONS[JobName.RolloutAdvance], jobId: id, ...(delayMs > 0 ? { delay: delayMs } : {}) },
    );
  }

  public presence(id: string): Promise<JobPresence> {
    return jobPresence(this.queue, id);
  }

  public async onApplicationShutdown(): Promise<void> {
    await this.owned.close();
  }
}
