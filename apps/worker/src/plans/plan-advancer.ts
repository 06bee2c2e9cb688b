import { Injectable, Logger } from '@nestjs/common';

import { planStepJobId } from '@nutfleet/queue';
import { CoalescingRunner } from '@nutfleet/runtime';

import { PlanJobsQueue } from './plan-jobs.queue';
import { PlanRepository } from './plan.repository';
import { planOutcome, selectRunnableSteps } from './runnable-steps';

/**
 * Moves a plan forward from what PostgreSQL says: queues the steps that may start now
 * (PENDING → QUEUED, then the job; a crash in between leaves a QUEUED step without a job,
 * which the reconciler re-adds), and records the plan's end once every step is finished.
 *
 * Requests for one plan are coalesced in this process: while an advance runs, further requests
 * only mark it dirty and it runs once more. Several worker processes may still advance the same
 * plan at once; the conditional updates decide who queues each step.
 */
@Injectable()
export class PlanAdvancer {
  private readonly logger = new Logger(PlanAdvancer.name);
  private readonly runner = new CoalescingRunner(
    (planId) => this.advance(planId),
    (planId, error) =>
      this.logger.warn(`advancing plan ${planId} failed: ${error instanceof Error ? error.message : String(error)}`),
  );

  public constructor(
    private readonly plans: PlanRepository,
    private readonly queue: PlanJobsQueue,
  ) {}

  /** Advances now, or once more after the advance in progress. Never rejects. */
  public request(planId: string): Promise<void> {
    return this.runner.request(planId);
  }

  private async advance(planId: string): Promise<void> {
    const plan = await this.plans.findPlan(planId);
    if (!plan || (plan.state !== 'PENDING' && plan.state !== 'RUNNING')) return;
    const now = new Date();
    if (plan.state === 'PENDING') await this.plans.startPlan(planId, now);
    const steps = await this.plans.stepViews(planId);
    if (plan.cancelledAt === null) {
      const { runnable } = selectRunnableSteps(steps, now.getTime());
      const candidates = runnable.map((s) => ({ id: s.id, key: s.key, jobId: planStepJobId(planId, s.key) }));
      const won = new Set(await this.plans.markQueued(candidates));
      await this.queue.addSteps(
        planId,
        candidates.filter((c) => won.has(c.id)),
      );
      if (won.size > 0) return; // their completion advances again
    }
    const outcome = planOutcome(steps, plan.cancelledAt !== null);
    if (outcome !== 'RUNNING' && (await this.plans.finishPlan(planId, outcome, now))) {
      this.logger.log(`plan ${planId} finished: ${outcome}`);
    }
  }
}
