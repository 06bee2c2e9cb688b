import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';
import { errorText } from '@nutfleet/runtime';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { attemptStep } from './step-attempts';
import { StepExecutor } from './step-executor';

type Payload = JobPayload<typeof JobName.PlanSteps>;

/** Steps of the job by the state each ended in ("UNFINISHED": left to the reconciler). */
export type PlanStepsResult = Record<string, number>;

/**
 * A batch of plan steps carried by one BullMQ job: every step runs at once, each claimed in
 * PostgreSQL under the job's id (a job BullMQ hands to another worker after a crash claims its
 * RUNNING steps again and resumes them from their saved progress) and retried on its own. The
 * job ends when its last step does.
 */
@Injectable()
@HandlesJob(JobName.PlanSteps)
export class PlanStepsHandler implements JobHandler<typeof JobName.PlanSteps> {
  private readonly logger = new Logger(PlanStepsHandler.name);

  public constructor(private readonly executor: StepExecutor) {}

  public async handle(job: Job<Payload>): Promise<PlanStepsResult> {
    const claimant = job.id;
    if (claimant === undefined) throw new Error(`a ${JobName.PlanSteps} job without an id cannot claim steps`);
    const { planId, steps } = job.data;
    const states = await Promise.all(
      steps.map((step) =>
        attemptStep({
          attempt: (made, attempts) => this.executor.attempt(step.stepId, claimant, made, attempts),
          onError: (error) => this.logger.warn(`step ${step.stepKey} of plan ${planId}: ${errorText(error)}`),
        }),
      ),
    );
    const result: PlanStepsResult = {};
    for (const state of states) {
      const key = state ?? 'UNFINISHED';
      result[key] = (result[key] ?? 0) + 1;
    }
    return result;
  }
}
