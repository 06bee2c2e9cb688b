import { Module } from '@nestjs/common';

import { PlansModule } from '../plans/plans.module';
import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { RestartContextLoader } from './restart-context.loader';
import { RestartGateKeeper } from './restart-gate.keeper';
import { RestartPlanFactory } from './restart-plan.factory';
import { RestartPlanner } from './restart-planner.service';
import { RestartPlansController } from './restart-plans.controller';

/** Restart plans: the API and the wave gates (leader only); the outage module asks for the automatic one. */
@Module({
  imports: [PlansModule, PowerMonitorModule],
  controllers: [RestartPlansController],
  providers: [RestartContextLoader, RestartPlanFactory, RestartGateKeeper, RestartPlanner],
  exports: [RestartPlanFactory],
})
export class RestartModule {}
