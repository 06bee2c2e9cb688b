import { Injectable, Logger } from '@nestjs/common';

import { deployHostJobId } from '@nutfleet/queue';
import { CoalescingRunner, errorText } from '@nutfleet/runtime';

import { WorkerPlanStore } from '../plans/worker-plan.store';
import { decideRollout } from './rollout-progress';
import { RolloutJobsQueue } from './rollout-jobs.queue';

/**
 * Moves a rollout forward from what PostgreSQL says (see `decideRollout`): queues the next wave
 * (PENDING → QUEUED by conditional update, then the jobs; a crash in between leaves QUEUED steps
 * without a job, which the reconciler re-adds), schedules itself after a pause, stops the rollout
 * past its failure ratio (not-started hosts CANCELLED with the reason) and finishes the plan.
 * Requests for one plan are coalesced in this process, as PlanAdvancer does for shutdown plans.
 */
@Injectable()
export class RolloutAdvancer {
  private readonly logger = new Logger(RolloutAdvancer.name);
  private readonly runner = new CoalescingRunner(
    (planId) => this.advance(planId),
    (planId, error) => this.logger.warn(`advancing rollout ${planId} failed: ${errorText(error)}`),
  );

  public constructor(
    private readonly store: WorkerPlanStore,
    private readonly queue: RolloutJobsQueue,
  ) {}

  /** Advances now, or once more after the advance in progress. Never rejects. */
  public request(planId: string): Promise<void> {
    return this.runner.request(planId);
  }

  private async advance(planId: string): Promise<void> {
    const plans = this.store.execution;
    const rollouts = this.store.rollouts;
    const plan = await plans.findPlan(planId);
    if (!plan || plan.kind !== 'ROLLOUT' || (plan.state !== 'PENDING' && plan.state !== 'RUNNING')) return;
    const rollout = await rollouts.findRolloutOfPlan(planId);
    if (!rollout) return;
    const now = new Date();
    if (plan.state === 'PENDING') await plans.startPlan(planId, now);
    const steps = await rollouts.stepRows(planId);
    // A cancel writes the plan's cancelledAt and its steps in one transaction: read the flag again
    // after the steps, or steps cancelled since the plan was read look like a failure.
    const cancelRequested = plan.cancelledAt !== null || (await plans.findPlan(planId))?.cancelledAt != null;
    const decision = decideRollout(steps, rollout, cancelRequested, now.getTime());
    switch (decision.kind) {
      case 'start': {
        const byId = new Map(steps.map((s) => [s.id, s]));
        const candidates = decision.stepIds.map((id) => ({
          id,
          jobId: deployHostJobId(planId, byId.get(id)?.hostId ?? ''),
        }));
        const won = new Set(await plans.markQueued(candidates));
        await this.queue.addDeploys(
          planId,
          decision.stepIds.filter((id) => won.has(id)).map((id) => ({ id, hostId: byId.get(id)?.hostId ?? '' })),
        );
        if (won.size > 0) this.logger.log(`rollout ${planId}: wave ${decision.wave} started (${won.size} host(s))`);
        return;
      }
      case 'wait':
        await this.queue.addAdvance(planId, Math.max(1, decision.at - now.getTime()));
        return;
      case 'stop': {
        await rollouts.noteStopped(planId, decision.reason, now);
        const cancelled = await plans.cancelNotStarted(planId, now, `not started: rollout stopped: ${decision.reason}`);
        this.logger.warn(`rollout ${planId} stopped (${cancelled} host(s) not started): ${decision.reason}`);
        void this.runner.request(planId); // runs once more right after this advance, to finish it
        return;
      }
      case 'finish':
        if (await plans.finishPlan(planId, decision.outcome, now))
          this.logger.log(`rollout ${planId} finished: ${decision.outcome}`);
        return;
      case 'running':
        return;
    }
  }
}
