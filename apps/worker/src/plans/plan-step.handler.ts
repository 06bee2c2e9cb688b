import { Injectable } from '@nestjs/common';
import { type Job } from 'bullmq';

import { JobName, type JobPayload, planStepJobId } from '@nutfleet/queue';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { StepExecutor } from './step-executor';

type Payload = JobPayload<typeof JobName.PlanStep>;

/** A plan step carried by BullMQ: one attempt per job attempt; a failure that may pass is thrown for BullMQ to retry. */
@Injectable()
@HandlesJob(JobName.PlanStep)
export class PlanStepHandler implements JobHandler<typeof JobName.PlanStep> {
  public constructor(private readonly executor: StepExecutor) {}

  public async handle(job: Job<Payload>): Promise<{ state: string }> {
    const result = await this.executor.attempt(
      job.data.stepId,
      job.id ?? planStepJobId(job.data.planId, job.data.stepKey),
      job.attemptsMade,
      job.opts.attempts ?? 1,
    );
    if (result.kind === 'retry') throw result.error;
    return { state: result.state };
  }
}
