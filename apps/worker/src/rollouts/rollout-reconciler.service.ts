import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { deployHostJobId } from '@nutfleet/queue';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { WorkerPlanStore } from '../plans/worker-plan.store';
import { RolloutAdvancer } from './rollout-advancer';
import { RolloutJobsQueue } from './rollout-jobs.queue';

/**
 * Resumes unfinished rollouts from PostgreSQL, on start and every PLAN_RECONCILE_INTERVAL_MS —
 * the shutdown reconciler's approach: re-adds the deploy job of any QUEUED/RUNNING host step Redis
 * no longer holds (worker killed between queueing and adding, Redis flushed or restarted empty),
 * then advances (a pause whose delayed job was lost ends here). A job BullMQ still holds for a
 * killed worker comes back as stalled after its lock expires, and resumes from the journal.
 */
@Injectable()
export class RolloutReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RolloutReconciler.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly store: WorkerPlanStore,
    private readonly queue: RolloutJobsQueue,
    private readonly advancer: RolloutAdvancer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: () => this.reconcileAll(),
      intervalMs: config.plans.reconcileIntervalMs,
      onError: (error) => this.logger.warn(`rollout reconcile pass failed: ${errorText(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  public async reconcileAll(): Promise<void> {
    for (const planId of await this.store.execution.unfinishedPlanIds(['ROLLOUT'])) {
      if (this.loop.stopped) return;
      const steps = await this.store.rollouts.stepRows(planId);
      // A step whose handler still holds its lease is being deployed (its job may be gone from
      // Redis, not its worker): re-adding it would only bounce off the lease.
      const leased = await this.store.rollouts.leasedStepIds(planId);
      const orphans: Array<{ id: string; hostId: string }> = [];
      await Promise.all(
        steps
          .filter((s) => s.state === 'QUEUED' || (s.state === 'RUNNING' && !leased.has(s.id)))
          .map(async (s) => {
            if ((await this.queue.presence(deployHostJobId(planId, s.hostId))) !== 'alive') orphans.push(s);
          }),
      );
      if (orphans.length > 0) {
        this.logger.warn(`rollout ${planId}: re-enqueuing ${orphans.length} host(s) whose job Redis no longer holds`);
        await this.queue.addDeploys(planId, orphans);
      }
      await this.advancer.request(planId);
    }
  }
}
