import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { DryRunStepHandler } from './dry-run.step-handler';
import { HostPowerOffStepHandler } from './host-power-off.step-handler';
import { PlanAdvancer } from './plan-advancer';
import { readStepDetail } from './plan-step.detail';
import { PlanRepository } from './plan.repository';
import { readRestartStepDetail } from './restart/restart-step.detail';
import { RestartStepRunner } from './restart/restart-step.runner';
import { type StepOutcome } from './step-outcome';
import { VmStopStepHandler } from './vm-stop.step-handler';

type Payload = JobPayload<typeof JobName.PlanStep>;

/**
 * Runs one plan step. The step row, not the job, is the truth: a job for a step that is already
 * finished or cancelled does nothing, so re-enqueued and duplicate jobs are harmless.
 * Transient failures (`retryable`) are thrown for BullMQ to retry with backoff while attempts
 * remain; anything else — or the last attempt — fails the step, and the plan moves on.
 */
@Injectable()
@HandlesJob(JobName.PlanStep)
export class PlanStepHandler implements JobHandler<typeof JobName.PlanStep> {
  private readonly logger = new Logger(PlanStepHandler.name);

  public constructor(
    private readonly plans: PlanRepository,
    private readonly advancer: PlanAdvancer,
    private readonly vmStop: VmStopStepHandler,
    private readonly powerOff: HostPowerOffStepHandler,
    private readonly dryRun: DryRunStepHandler,
    private readonly restart: RestartStepRunner,
  ) {}

  public async handle(job: Job<Payload>): Promise<{ state: string }> {
    // Finished, cancelled, not queued yet or gone: nothing to run (duplicates land here).
    const step = await this.plans.claimStep(job.data.stepId);
    if (step === undefined) return { state: (await this.plans.stepState(job.data.stepId)) ?? 'MISSING' };
    let outcome: StepOutcome;
    try {
      const restartDetail = readRestartStepDetail(step.detail);
      if (restartDetail !== undefined) outcome = await this.restart.run(step, restartDetail);
      else {
        const detail = readStepDetail(step.detail);
        outcome =
          step.plan.mode === 'DRY_RUN'
            ? await this.dryRun.run(step, detail)
            : detail.kind === 'vm-stop'
              ? await this.vmStop.run(step, detail)
              : await this.powerOff.run(step, detail);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryable = typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === true;
      const attempts = job.opts.attempts ?? 1;
      if (retryable && job.attemptsMade + 1 < attempts) {
        await this.plans.recordAttemptError(step.id, `attempt ${job.attemptsMade + 1}/${attempts}: ${message}`);
        throw error;
      }
      outcome = { state: 'FAILED', output: '', error: message };
    }
    await this.plans.finishStep(
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
}
