import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { type Queue } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { JOB_OPTIONS, jobId, JobName, jobPresence, type JobPresence, planStepJobId, QueueName } from '@nutfleet/queue';

import { openWorkerQueue } from '../jobs/worker-queue';

/**
 * The worker's own producer for the plans queue: advancing a plan enqueues its next steps from
 * inside the worker, so a plan keeps going while the orchestrator is down.
 */
@Injectable()
export class PlanJobsQueue implements OnApplicationShutdown {
  private readonly queue: Queue;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.queue = openWorkerQueue(config, QueueName.Plans);
  }

  public async addSteps(planId: string, steps: ReadonlyArray<{ id: string; key: string }>): Promise<void> {
    if (steps.length === 0) return;
    await this.queue.addBulk(
      steps.map((s) => ({
        name: JobName.PlanStep,
        data: { planId, stepId: s.id, stepKey: s.key },
        opts: { ...JOB_OPTIONS[JobName.PlanStep], jobId: planStepJobId(planId, s.key) },
      })),
    );
  }

  public async addAdvance(planId: string, delayMs = 0): Promise<void> {
    await this.queue.add(
      JobName.PlanAdvance,
      { planId },
      {
        ...JOB_OPTIONS[JobName.PlanAdvance],
        jobId: jobId('plan', planId, 'advance'),
        ...(delayMs > 0 ? { delay: delayMs } : {}),
      },
    );
  }

  /** Whether Redis still holds a live job for this step (after a flush it holds none). */
  public presence(id: string): Promise<JobPresence> {
    return jobPresence(this.queue, id);
  }

  /** Drops a finished job so the same id can be added again. */
  public async remove(id: string): Promise<void> {
    await this.queue.remove(id);
  }

  public async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
