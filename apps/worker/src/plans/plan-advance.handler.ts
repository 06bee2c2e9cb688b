import { Injectable } from '@nestjs/common';
import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { PlanAdvancer } from './plan-advancer';

/** The orchestrator's kick after creating a plan: queue what may start now. */
@Injectable()
@HandlesJob(JobName.PlanAdvance)
export class PlanAdvanceHandler implements JobHandler<typeof JobName.PlanAdvance> {
  public constructor(private readonly advancer: PlanAdvancer) {}

  public async handle(job: Job<JobPayload<typeof JobName.PlanAdvance>>): Promise<void> {
    await this.advancer.request(job.data.planId);
  }
}
