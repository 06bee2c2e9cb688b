import { randomBytes } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { inLeadOrder, planOutcome, selectRunnableSteps } from '@nutfleet/plan';
import { stepBatches } from '@nutfleet/queue';
import { CoalescingRunner, errorText } from '@nutfleet/runtime';

import { LeadCommandsGate } from './lead-commands.gate';
import { PlanJobsQueue, QueueUnavailableError } from './plan-jobs.queue';
import { QueueFallbackSignal } from './queue-fallback.signal';
import { WorkerPlanStore } from './worker-plan.store';

/** Least time between two advances of one plan in this process. */
const ADVANCE_SPACING_MS = 200;

/** Jobs (of PLAN_STEPS_PER_JOB steps) marked QUEUED and added to Redis per statement and call. */
const BATCHES_PER_SLICE = 5;

/**
 * Moves a plan forward from what PostgreSQL says: queues the steps that may start now (PENDING →
 * QUEUED under their batch's job id, then one `plan.steps` job per batch; a crash in between
 * leaves QUEUED steps without a job, which the reconciler adds under that id), and records the
 * plan's end once every step is finished and none is still pending (PendingPlanSteps). A new
 * shutdown plan's first steps are queued by the orchestrator as it writes the plan; the advances
 * queue everything after them.
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
    (planId, error) => this.logger.warn(`advancing plan ${planId} failed: ${errorText(error)}`),
    // Every finished step asks for an advance; at 1,000 hosts back-to-back advances (each reads
    // every step) would slow the first commands of the hosts still waiting. A step waits at most
    // this long longer for its predecessor's advance, against batches that take seconds. An
    // advance of a 5,000-host plan reads 20,000 steps and takes longer than the spacing: resting
    // as long as it took keeps it to half the worker's time, the rest for the steps it queued.
    { minIntervalMs: ADVANCE_SPACING_MS, minRestRatio: 1 },
  );

  public constructor(
    private readonly store: WorkerPlanStore,
    private readonly queue: PlanJobsQueue,
    private readonly fallback: QueueFallbackSignal,
    private readonly leads: LeadCommandsGate,
  ) {}

  /** Advances now, or once more after the advance in progress. Never rejects. */
  public request(planId: string): Promise<void> {
    return this.runner.request(planId);
  }

  private async advance(planId: string): Promise<void> {
    // The first VMs stopped early ask for advances while this worker still sends other hosts'
    // first commands: reading every step of the plan then would take their CPU.
    await this.leads.clear();
    const plans = this.store.execution;
    // Read before the steps: a plan whose pending steps were written after this read has them in
    // the steps read below (one commit writes them and removes their document).
    const [plan, pending] = await Promise.all([plans.findPlan(planId), this.store.pending.has(planId)]);
    if (!plan || (plan.state !== 'PENDING' && plan.state !== 'RUNNING')) return;
    const now = new Date();
    if (plan.state === 'PENDING') await plans.startPlan(planId, now);
    const steps = await plans.stepViews(planId);
    if (plan.cancelledAt === null) {
      const { runnable } = selectRunnableSteps(steps, now.getTime());
      const batches = stepBatches(
        planId,
        inLeadOrder(runnable).map(({ step, lead }) => ({ ...step, lead })),
        randomBytes(4).toString('hex'),
      );
      let queued = 0;
      let queueDown = false;
      // In slices, so the first hosts' jobs are in Redis (and being picked up) while the rest of
      // a 1,000-host stage is still being marked and added.
      for (let at = 0; at < batches.length; at += BATCHES_PER_SLICE) {
        const slice = batches.slice(at, at + BATCHES_PER_SLICE);
        const won = new Set(
          await plans.markQueued(slice.flatMap((b) => b.steps.map((s) => ({ id: s.id, jobId: b.jobId })))),
        );
        queued += won.size;
        if (queueDown) continue;
        try {
          await this.queue.addBatches(
            planId,
            slice.map((b) => ({ jobId: b.jobId, steps: b.steps.filter((s) => won.has(s.id)) })),
          );
        } catch (error) {
          if (!(error instanceof QueueUnavailableError)) throw error;
          // Marked queued, not in Redis: they run straight from PostgreSQL (the reconciler).
          queueDown = true;
        }
      }
      if (queueDown) this.fallback.raise(planId);
      if (queued > 0) return; // their completion advances again
    }
    const outcome = planOutcome(steps, plan.cancelledAt !== null);
    // Steps still pending (PendingPlanSteps) are part of the plan: it has not ended without them.
    if (outcome === 'RUNNING' || pending) return;
    if (await plans.finishPlan(planId, outcome, now)) {
      this.logger.log(`plan ${planId} finished: ${outcome}`);
    }
  }
}
