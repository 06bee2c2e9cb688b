import { Module } from '@nestjs/common';

import { HostsModule } from '../hosts/hosts.module';
import { PlanStoreModule } from '../plans/plan-store.module';
import { DeployHostHandler } from './deploy-host.handler';
import { RolloutAdvanceHandler } from './rollout-advance.handler';
import { RolloutAdvancer } from './rollout-advancer';
import { RolloutJobsQueue } from './rollout-jobs.queue';
import { RolloutReconciler } from './rollout-reconciler.service';
import { VerifiedHostFactsRecorder } from './verified-host-facts.recorder';

/**
 * Rollout execution in the worker: a Plan(kind ROLLOUT) whose steps are hosts in waves. Reuses the
 * plans' generic step/plan transitions (the plan store's `execution`); waves and the failure-ratio
 * stop are rollout-specific (rollout-progress.ts), its statements the store's `rollouts`.
 */
@Module({
  imports: [HostsModule, PlanStoreModule],
  providers: [
    RolloutJobsQueue,
    RolloutAdvancer,
    RolloutReconciler,
    RolloutAdvanceHandler,
    DeployHostHandler,
    VerifiedHostFactsRecorder,
  ],
})
export class RolloutsModule {}
