import { Injectable } from '@nestjs/common';
import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { RolloutAdvancer } from './rollout-advancer';

/** The orchestrator's kick after creating, cancelling or resuming a rollout; also the pause timer. */
@Injectable()
@HandlesJob(JobName.RolloutAdvance)
export class RolloutAdvanceHandler implements JobHandler<typeof JobName.RolloutAdvance> {
  public constructor(private readonly advancer: RolloutAdvancer) {}

  public async handle(job: Job<JobPayload<typeof JobName.RolloutAdvance>>): Promise<void> {
    await this.advancer.request(job.data.planId);
  }
}
