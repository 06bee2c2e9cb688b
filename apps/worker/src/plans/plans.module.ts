import { Module } from '@nestjs/common';

import { HostConnector } from '../hosts/host-connector';
import { HostsModule } from '../hosts/hosts.module';
import { DryRunStepHandler } from './dry-run.step-handler';
import { HostPowerOffStepHandler } from './host-power-off.step-handler';
import { HOST_SESSIONS } from './host-sessions';
import { PlanAdvanceHandler } from './plan-advance.handler';
import { PlanAdvancer } from './plan-advancer';
import { PlanJobsQueue } from './plan-jobs.queue';
import { PlanReconciler } from './plan-reconciler.service';
import { PlanStepHandler } from './plan-step.handler';
import { PlanRepository } from './plan.repository';
import { VmStopStepHandler } from './vm-stop.step-handler';

/** Shutdown plan execution in the worker: step handlers, the advancer and the reconciler. */
@Module({
  imports: [HostsModule],
  providers: [
    // The trust-checking, pooled connector of issue 5 is the only way plan steps reach hosts.
    { provide: HOST_SESSIONS, useExisting: HostConnector },
    PlanRepository,
    PlanJobsQueue,
    PlanAdvancer,
    PlanReconciler,
    VmStopStepHandler,
    HostPowerOffStepHandler,
    DryRunStepHandler,
    PlanStepHandler,
    PlanAdvanceHandler,
  ],
})
export class PlansModule {}
