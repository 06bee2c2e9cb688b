import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { overdueSteps } from '@nutfleet/plan';
import { planStepJobId } from '@nutfleet/queue';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { PlanAdvancer } from './plan-advancer';
import { PlanJobsQueue } from './plan-jobs.queue';
import { WorkerPlanStore } from './worker-plan.store';

const OVERDUE_GRACE_MS = 30_000;

/**
 * Resumes every unfinished plan from PostgreSQL, on start and then every
 * PLAN_RECONCILE_INTERVAL_MS: re-adds the job of any QUEUED/RUNNING step Redis no longer holds
 * (worker killed, Redis flushed or restarted empty), notes steps past their deadline, and
 * advances the plan (stages whose predecessor passed its deadline open here when no step
 * completion does it).
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
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  public async reconcileAll(): Promise<void> {
    for (const planId of await this.store.execution.unfinishedPlanIds(['SHUTDOWN', 'RESTART'])) {
      if (this.loop.stopped) return;
      await this.reconcile(planId);
    }
  }

  private async reconcile(planId: string): Promise<void> {
    const steps = await this.store.execution.stepViews(planId);
    const now = Date.now();
    const orphans: Array<{ id: string; key: string }> = [];
    await Promise.all(
      steps
        .filter((s) => s.state === 'QUEUED' || s.state === 'RUNNING')
        .map(async (s) => {
          const id = planStepJobId(planId, s.key);
          const presence = await this.queue.presence(id);
          if (presence === 'alive') return;
          if (presence === 'finished') await this.queue.remove(id);
          orphans.push({ id: s.id, key: s.key });
        }),
    );
    if (orphans.length > 0) {
      this.logger.warn(`plan ${planId}: re-enqueuing ${orphans.length} step(s) whose job Redis no longer holds`);
      await this.queue.addSteps(planId, orphans);
    }
    const overdue = overdueSteps(steps, now, OVERDUE_GRACE_MS);
    await this.store.execution.noteOverdue(
      overdue.map((s) => s.id),
      `overdue: still unfinished ${OVERDUE_GRACE_MS / 1000} s after its deadline; the next steps no longer wait for it`,
    );
    await this.advancer.request(planId);
  }
}
