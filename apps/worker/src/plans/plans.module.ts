import { Module } from '@nestjs/common';

import { HostConnector } from '../hosts/host-connector';
import { HostsModule } from '../hosts/hosts.module';
import { DirectStepRunner } from './direct-step.runner';
import { DryRunStepHandler } from './dry-run.step-handler';
import { GuardedHostSessions } from './guarded-host-sessions';
import { HostPowerOffStepHandler } from './host-power-off.step-handler';
import { HOST_SESSIONS } from './host-sessions';
import { PlanAdvanceHandler } from './plan-advance.handler';
import { LeadCommandsGate } from './lead-commands.gate';
import { PlanAdvancer } from './plan-advancer';
import { PlanJobsQueue } from './plan-jobs.queue';
import { PlanReconciler } from './plan-reconciler.service';
import { PlanStepsHandler } from './plan-steps.handler';
import { PlanStoreModule } from './plan-store.module';
import { UpsPowerCycleDryRunStepHandler } from './power-cycle/ups-power-cycle.dry-run.step-handler';
import { UpsPowerCycleStepHandler } from './power-cycle/ups-power-cycle.step-handler';
import { UpsCommandConnector } from './power-cycle/ups-command.connector';
import { QueueFallbackSignal } from './queue-fallback.signal';
import { PowerOnVmsStepHandler } from './restart/power-on-vms.step-handler';
import { RestartDryRunStepHandler } from './restart/restart-dry-run.step-handler';
import { VerifyEsxiStepHandler } from './restart/verify-esxi.step-handler';
import { WaitSshStepHandler } from './restart/wait-ssh.step-handler';
import { WakeStepHandler } from './restart/wake.step-handler';
import { StepExecutor } from './step-executor';
import { type StepHandler } from './step-handler';
import { STEP_HANDLERS, StepHandlerRegistry } from './step-handler.registry';
import { VmStopStepHandler } from './vm-stop.step-handler';

/** Every step handler, by action and plan mode; the registry refuses to start with a gap. */
const STEP_HANDLER_CLASSES = [
  VmStopStepHandler,
  HostPowerOffStepHandler,
  DryRunStepHandler,
  // Restart plans (Wake-on-LAN, SSH wait, ESXi verification, VM power-on) on the same engine.
  WakeStepHandler,
  WaitSshStepHandler,
  VerifyEsxiStepHandler,
  PowerOnVmsStepHandler,
  RestartDryRunStepHandler,
  // The UPS power cycle once the fleet is down (never sent in a dry run).
  UpsPowerCycleStepHandler,
  UpsPowerCycleDryRunStepHandler,
] as const;

/** Shutdown and restart plan execution in the worker: step handlers, the advancer and the reconciler. */
@Module({
  imports: [HostsModule, PlanStoreModule],
  providers: [
    // The trust-checking, pooled connector is the only way plan steps reach hosts; in a direct
    // run (Redis down) each state-changing command first checks the plan was not cancelled.
    {
      provide: HOST_SESSIONS,
      useFactory: (connector: HostConnector) => new GuardedHostSessions(connector),
      inject: [HostConnector],
    },
    UpsCommandConnector,
    PlanJobsQueue,
    QueueFallbackSignal,
    LeadCommandsGate,
    PlanAdvancer,
    StepExecutor,
    DirectStepRunner,
    PlanReconciler,
    ...STEP_HANDLER_CLASSES,
    {
      provide: STEP_HANDLERS,
      useFactory: (...handlers: StepHandler[]) => new StepHandlerRegistry(handlers),
      inject: [...STEP_HANDLER_CLASSES],
    },
    PlanStepsHandler,
    PlanAdvanceHandler,
  ],
})
export class PlansModule {}
