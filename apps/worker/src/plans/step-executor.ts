import { Inject, Injectable, Logger } from '@nestjs/common';

import { observationOfStep, readRestartStepDetail, requiresSucceededDependencies } from '@nutfleet/plan';
import { errorText } from '@nutfleet/runtime';

import { shouldRetry } from '../jobs/job-failure.policy';
import { type ClaimedStep } from './claimed-step';
import { PlanAdvancer } from './plan-advancer';
import { NO_STEP_SIGNALS, type StepSignals } from './step-handler';
import { type StepHandlerRegistry, STEP_HANDLERS } from './step-handler.registry';
import { type StepOutcome } from './step-outcome';
import { WorkerPlanStore } from './worker-plan.store';

/** How one attempt at a step ended: its recorded state, or a failure worth another attempt. */
export type StepAttempt =
  { readonly kind: 'done'; readonly state: string } | { readonly kind: 'retry'; readonly error: unknown };

/**
 * Runs one attempt at a plan step, whoever carries it (a BullMQ job, or the direct runner when
 * Redis is down): claims it, hands it to the handler of its action and plan mode, records the
 * outcome and asks for the plan to advance. The step row, not the carrier, is the truth: an
 * attempt at a step that is already finished or cancelled does nothing. A failure that may pass
 * comes back as `retry` while attempts remain; anything else — or the last attempt — fails the
 * step, and the plan moves on.
 */
@Injectable()
export class StepExecutor {
  private readonly logger = new Logger(StepExecutor.name);

  public constructor(
    private readonly store: WorkerPlanStore,
    private readonly advancer: PlanAdvancer,
    @Inject(STEP_HANDLERS) private readonly handlers: StepHandlerRegistry,
  ) {}

  /**
   * `claimant`: who carries this attempt (the BullMQ job id, or the direct runner);
   * `attemptsMade`: attempts before this one; `attempts`: how many are allowed in all;
   * `signals`: told when the step's first command is out.
   */
  public async attempt(
    stepId: string,
    claimant: string,
    attemptsMade: number,
    attempts: number,
    signals: StepSignals = NO_STEP_SIGNALS,
  ): Promise<StepAttempt> {
    const steps = this.store.execution;
    // Finished, cancelled, not queued yet, gone, or run by another live carrier: nothing to run.
    const step = await steps.claimStep(stepId, claimant);
    if (step === undefined) return { kind: 'done', state: (await steps.stepState(stepId)) ?? 'MISSING' };
    let outcome: StepOutcome;
    try {
      outcome =
        (await this.skipAfterFailedDependency(step)) ??
        (await this.handlers.handlerFor(step.action, step.plan.mode).run(step, signals));
    } catch (error) {
      if (error instanceof PlanCancelledBeforeSendError) {
        outcome = { state: 'SKIPPED', output: error.message };
      } else if (shouldRetry(error, attemptsMade, attempts)) {
        await steps.recordAttemptError(step.id, `attempt ${attemptsMade + 1}/${attempts}: ${errorText(error)}`);
        return { kind: 'retry', error };
      } else {
        outcome = { state: 'FAILED', output: '', error: errorText(error) };
      }
    }
    const finishedAt = new Date();
    const finished = await steps.finishStep(
      step.id,
      outcome.state,
      { output: outcome.output, error: outcome.error ?? null },
      finishedAt,
    );
    if (finished) await this.recordHostPower(step, outcome, finishedAt);
    if (outcome.state === 'FAILED')
      this.logger.warn(`step ${step.key} of plan ${step.planId} failed: ${outcome.error ?? ''}`);
    void this.advancer.request(step.planId);
    return { kind: 'done', state: outcome.state };
  }

  /**
   * What the step established about its host's power (a verified power-off, a verified wake, a
   * wake that did not bring it back) becomes the host's power state. A failure to record it is
   * logged, not thrown: the step's own result is already safe in its row.
   */
  private async recordHostPower(step: ClaimedStep, outcome: StepOutcome, at: Date): Promise<void> {
    if (step.hostId === null) return;
    const probe = { planId: step.planId, planMode: step.plan.mode, action: step.action, at };
    const base = { ...probe, state: outcome.state, error: outcome.error ?? null, automatic: false };
    if (observationOfStep(base) === undefined) return;
    try {
      const automatic = step.action === 'host-power-off' && (await this.store.hostPower.isAutomaticPlan(step.planId));
      const observation = observationOfStep({ ...base, automatic });
      if (observation !== undefined) await this.store.hostPower.observe(step.hostId, observation);
    } catch (error) {
      this.logger.warn(`power state of host ${step.hostId} not recorded after step ${step.key}: ${errorText(error)}`);
    }
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

/** A step run straight from PostgreSQL found its plan cancelled before sending its next command. */
export class PlanCancelledBeforeSendError extends Error {
  public constructor(planId: string) {
    super(`plan ${planId} was cancelled: nothing more sent for this step`);
    this.name = 'PlanCancelledBeforeSendError';
  }
}
