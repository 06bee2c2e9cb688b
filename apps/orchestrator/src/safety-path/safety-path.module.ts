import { Module } from '@nestjs/common';

import { PrismaService, SafetyPrismaService } from '@nutfleet/db';

import { AutomaticRestart } from '../outages/automatic-restart.service';
import { OutagePlanner } from '../outages/outage-planner.service';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { PlanCancelService } from '../plans/plan-cancel.service';
import { MeasuredDurationsLoader } from '../plans/measured-durations.loader';
import { PlanFactory } from '../plans/plan-factory.service';
import { PowerCycleStepsLoader } from '../power-cycle/power-cycle-steps.loader';
import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { RestartContextLoader } from '../restart/restart-context.loader';
import { RestartGateKeeper } from '../restart/restart-gate.keeper';
import { RestartPlanFactory } from '../restart/restart-plan.factory';
import { RestartPlanner } from '../restart/restart-planner.service';

/**
 * The leader's decision path — the outage lifecycle, its shutdown and restart plans, the restart
 * gates — on the safety pool (SAFETY_DATABASE_POOL_SIZE), like the power monitor's writes: here
 * PrismaService is the safety client, so these instances (their own, not the API's) read the
 * fleet, write plans and open gates on connections no API load can take. The API keeps its own
 * instances of the same classes on its own pool.
 */
@Module({
  imports: [PowerMonitorModule],
  providers: [
    { provide: PrismaService, useExisting: SafetyPrismaService },
    OrchestratorPlanStore,
    FleetSnapshotLoader,
    PowerCycleStepsLoader,
    MeasuredDurationsLoader,
    PlanFactory,
    PlanCancelService,
    RestartContextLoader,
    RestartPlanFactory,
    RestartGateKeeper,
    RestartPlanner,
    AutomaticRestart,
    OutagePlanner,
  ],
})
export class SafetyPathModule {}
