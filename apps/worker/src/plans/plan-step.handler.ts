import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { readRestartStepDetail, requiresSucceededDependencies } from '@nutfleet/plan';
import { JobName, type JobPayload } from '@nutfleet/queue';
import { errorText } from '@nutfleet/runtime';

import { shouldRetry } from '../jobs/job-failure.policy';
import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { type ClaimedStep } from './claimed-step';
import { PlanAdvancer } from './plan-advancer';
import { type StepHandlerRegistry, STEP_HANDLERS } from './step-handler.registry';
import { type StepOutcome } from './step-outcome';
import { WorkerPlanStore } from './worker-plan.store';

type Payload = JobPayload<typeof JobName.PlanStep>;

/**
 * Runs one plan step: claims it, hands it to the handler of its action and plan mode, records the
 * outcome and asks for the plan to advance. The step row, not the job, is the truth: a job for a
 * step that is already finished or cancelled does nothing, so re-enqueued and duplicate jobs are
 * harmless. A failure that may pass is thrown for BullMQ to retry while attempts remain; anything
 * else — or the last attempt — fails the step, and the plan moves on.
 */
@Injectable()
@HandlesJob(JobName.PlanStep)
export class PlanStepHandler implements JobHandler<typeof JobName.PlanStep> {
  private readonly logger = new Logger(PlanStepHandler.name);

  public constructor(
    private readonly store: WorkerPlanStore,
    private readonly advancer: PlanAdvancer,
    @Inject(STEP_HANDLERS) private readonly handlers: StepHandlerRegistry,
  ) {}

  public async handle(job: Job<Payload>): Promise<{ state: string }> {
    const steps = this.store.execution;
    // Finished, cancelled, not queued yet or gone: nothing to run (duplicates land here).
    const step = await steps.claimStep(job.data.stepId);
    if (step === undefined) return { state: (await steps.stepState(job.data.stepId)) ?? 'MISSING' };
    let outcome: StepOutcome;
    try {
      outcome =
        (await this.skipAfterFailedDependency(step)) ??
        (await this.handlers.handlerFor(step.action, step.plan.mode).run(step));
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      if (shouldRetry(error, job.attemptsMade, attempts)) {
        await steps.recordAttemptError(step.id, `attempt ${job.attemptsMade + 1}/${attempts}: ${errorText(error)}`);
        throw error;
      }
      outcome = { state: 'FAILED', output: '', error: errorText(error) };
    }
    await steps.finishStep(
      step.id,
      outcome.state,
      { output: outcome.output, error: outcome.error ?? null },
      new Date(),
    );
    if (outcome.state === 'FAILED')
      this.logger.warn(`step ${step.key} of plan ${step.planId} failed: ${outcome.error ?? ''}`);
    void this.advancer.request(step.planId);
    return { state: outcome.state };
  }

  /** A restart step after its host's wake, SSH wait or verification failed: skipped, naming why. */
  private async skipAfterFailedDependency(step: ClaimedStep): Promise<StepOutcome | undefined> {
    if (!requiresSucceededDependencies(step.action) || step.dependsOn.length === 0) return undefined;
    const deps = await this.store.execution.stepStatesByKey(step.planId, step.dependsOn);
    const broken = deps.filter((d) => d.state !== 'SUCCEEDED');
    if (broken.length === 0) return undefined;
    return {
      state: 'SKIPPED',
      output: `skipped: ${broken.map((d) => `${d.key} ${d.state}`).join(', ')}; ${readRestartStepDetail(step.detail).hostName} did not come back`,
    };
  }
}
