import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { overdueSteps } from '@nutfleet/plan';
import { type StepBatch, stepsByCarrier } from '@nutfleet/queue';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { PlanAdvancer } from './plan-advancer';
import { DirectStepRunner } from './direct-step.runner';
import { LeadCommandsGate } from './lead-commands.gate';
import { PlanJobsQueue, QueueUnavailableError } from './plan-jobs.queue';
import { QueueFallbackSignal } from './queue-fallback.signal';
import { WorkerPlanStore } from './worker-plan.store';

const OVERDUE_GRACE_MS = 30_000;

/**
 * Resumes every unfinished plan from PostgreSQL, on start and then every
 * PLAN_RECONCILE_INTERVAL_MS: writes the steps a plan's creator saved but did not write
 * (PendingPlanSteps), re-adds, under the id its rows recorded, the job of any QUEUED or
 * RUNNING steps Redis no longer holds (worker killed, Redis flushed or restarted empty, the
 * orchestrator gone between writing a plan and adding its first jobs), notes steps past their
 * deadline, and advances the plan (stages whose predecessor passed its deadline open here when
 * no step completion does it).
 *
 * Why a timer in every worker, not a BullMQ repeatable job or an orchestrator leader: a Redis
 * flush deletes job schedulers too, and the orchestrator may be down mid-outage; a plan must
 * finish with nothing but PostgreSQL, Redis (empty or not) and one worker. Running it in every
 * worker is safe: state changes are conditional UPDATEs and job ids are deterministic.
 */
@Injectable()
export class PlanReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlanReconciler.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly store: WorkerPlanStore,
    private readonly queue: PlanJobsQueue,
    private readonly advancer: PlanAdvancer,
    private readonly direct: DirectStepRunner,
    private readonly fallback: QueueFallbackSignal,
    private readonly leads: LeadCommandsGate,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: () => this.reconcileAll(),
      intervalMs: config.plans.reconcileIntervalMs,
      onError: (error) => this.logger.warn(`reconcile pass failed: ${errorText(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    this.loop.start();
    this.fallback.onRaise(() => this.loop.wake());
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  public async reconcileAll(): Promise<void> {
    for (const planId of await this.store.execution.unfinishedPlanIds(['SHUTDOWN', 'RESTART'])) {
      // A pass reads every step of the plan (20,000 at 5,000 hosts): not while this worker still
      // sends hosts their first command. Its jobs are in Redis then; the pass only waits.
      await this.leads.clear();
      if (this.loop.stopped) return;
      await this.reconcile(planId);
    }
  }

  private async reconcile(planId: string): Promise<void> {
    // Steps the orchestrator saved but did not write (it died in between): written here, their
    // QUEUED ones then re-enqueued below like any step whose job Redis does not hold.
    if (await this.store.pending.has(planId)) {
      const written = await this.store.pending.write(planId, new Date());
      if (written !== undefined)
        this.logger.warn(`plan ${planId}: wrote the steps its creator had saved and not written yet`);
    }
    const steps = await this.store.execution.stepViews(planId);
    const now = Date.now();
    const open = steps.filter((s) => (s.state === 'QUEUED' || s.state === 'RUNNING') && !this.direct.runs(s.id));
    const orphans: StepBatch[] = [];
    let queueDown = false;
    await Promise.all(
      stepsByCarrier(planId, open).map(async (batch) => {
        try {
          const presence = await this.queue.presence(batch.jobId);
          if (presence === 'alive') return;
          if (presence === 'finished') await this.queue.remove(batch.jobId);
        } catch (error) {
          if (!(error instanceof QueueUnavailableError)) throw error;
          queueDown = true;
        }
        orphans.push(batch);
      }),
    );
    const orphanSteps = orphans.flatMap((b) => b.steps);
    if (orphans.length > 0 && !queueDown) {
      this.logger.warn(`plan ${planId}: re-enqueuing ${orphanSteps.length} step(s) whose job Redis no longer holds`);
      try {
        await this.queue.addBatches(planId, orphans);
      } catch (error) {
        if (!(error instanceof QueueUnavailableError)) throw error;
        queueDown = true;
      }
    }
    // No queue to carry them: a shutdown must not wait for Redis.
    if (orphanSteps.length > 0 && queueDown)
      this.direct.run(
        planId,
        orphanSteps.map((o) => o.id),
      );
    const overdue = overdueSteps(steps, now, OVERDUE_GRACE_MS);
    await this.store.execution.noteOverdue(
      overdue.map((s) => s.id),
      `overdue: still unfinished ${OVERDUE_GRACE_MS / 1000} s after its deadline; the next steps no longer wait for it`,
    );
    await this.advancer.request(planId);
  }
}
