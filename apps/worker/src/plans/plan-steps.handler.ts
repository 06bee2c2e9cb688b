import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';
import { errorText } from '@nutfleet/runtime';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { LeadCommandsGate } from './lead-commands.gate';
import { attemptStep } from './step-attempts';
import { NO_STEP_SIGNALS } from './step-handler';
import { StepExecutor } from './step-executor';

type Payload = JobPayload<typeof JobName.PlanSteps>;

/** Steps of the job by the state each ended in ("UNFINISHED": left to the reconciler). */
export type PlanStepsResult = Record<string, number>;

/**
 * A batch of plan steps carried by one BullMQ job: every step runs at once, each claimed in
 * PostgreSQL under the job's id (a job BullMQ hands to another worker after a crash claims its
 * RUNNING steps again and resumes them from their saved progress) and retried on its own. The
 * job ends when its last step does. Its lead steps (each host's first) send their first command
 * before this worker starts its other steps (LeadCommandsGate).
 */
@Injectable()
@HandlesJob(JobName.PlanSteps)
export class PlanStepsHandler implements JobHandler<typeof JobName.PlanSteps> {
  private readonly logger = new Logger(PlanStepsHandler.name);

  public constructor(
    private readonly executor: StepExecutor,
    private readonly leads: LeadCommandsGate,
  ) {}

  public async handle(job: Job<Payload>): Promise<PlanStepsResult> {
    const claimant = job.id;
    if (claimant === undefined) throw new Error(`a ${JobName.PlanSteps} job without an id cannot claim steps`);
    const { planId, steps } = job.data;
    // Held before anything is awaited: a job fetched just after this one must see its leads.
    const releases = steps.map((step) => (step.lead === true ? this.leads.hold() : undefined));
    const states = await Promise.all(
      steps.map(async (step, index) => {
        const release = releases[index];
        try {
          if (release === undefined) await this.leads.clear();
          return await attemptStep({
            attempt: (made, attempts) =>
              this.executor.attempt(
                step.stepId,
                claimant,
                made,
                attempts,
                release === undefined ? NO_STEP_SIGNALS : { commandSent: release },
              ),
            onError: (error) => this.logger.warn(`step ${step.stepKey} of plan ${planId}: ${errorText(error)}`),
          });
        } finally {
          release?.();
        }
      }),
    );
    const result: PlanStepsResult = {};
    for (const state of states) {
      const key = state ?? 'UNFINISHED';
      result[key] = (result[key] ?? 0) + 1;
    }
    return result;
  }
}
