import { Module } from '@nestjs/common';

import { HostsModule } from '../hosts/hosts.module';
import { PlanRepository } from '../plans/plan.repository';
import { DeployHostHandler } from './deploy-host.handler';
import { RolloutAdvanceHandler } from './rollout-advance.handler';
import { RolloutAdvancer } from './rollout-advancer';
import { RolloutJobsQueue } from './rollout-jobs.queue';
import { RolloutReconciler } from './rollout-reconciler.service';
import { RolloutRepository } from './rollout.repository';
import { VerifiedHostFactsRecorder } from './verified-host-facts.recorder';

/**
 * Rollout execution in the worker: a Plan(kind ROLLOUT) whose steps are hosts in waves. Reuses the
 * plans' generic step/plan transitions (PlanRepository); waves and the failure-ratio stop are
 * rollout-specific (rollout-progress.ts).
 */
@Module({
  imports: [HostsModule],
  providers: [
    PlanRepository,
    RolloutRepository,
    RolloutJobsQueue,
    RolloutAdvancer,
    RolloutReconciler,
    RolloutAdvanceHandler,
    DeployHostHandler,
    VerifiedHostFactsRecorder,
  ],
})
export class RolloutsModule {}
