import { Module } from '@nestjs/common';

import { PlansModule } from '../plans/plans.module';
import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { RestartContextLoader } from './restart-context.loader';
import { RestartPlanFactory } from './restart-plan.factory';
import { RestartPlansController } from './restart-plans.controller';

/** Restart plans: the API (manual restarts, previews). */
@Module({
  imports: [PlansModule, PowerMonitorModule],
  controllers: [RestartPlansController],
  // The wave gates run on the leader in SafetyPathModule.
  providers: [RestartContextLoader, RestartPlanFactory],
  exports: [RestartPlanFactory],
})
export class RestartModule {}
