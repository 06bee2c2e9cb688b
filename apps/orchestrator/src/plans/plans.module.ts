import { Module } from '@nestjs/common';

import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { FleetSnapshotLoader } from './fleet-snapshot.loader';
import { OutagePlanner } from './outage-planner.service';
import { PlanCancelService } from './plan-cancel.service';
import { PlanFactory } from './plan-factory.service';
import { PlanQueryService } from './plan-query.service';
import { PlansController } from './plans.controller';

/** Shutdown plans: the API, creation (manual and automatic, leader only) and power-return cancel. */
@Module({
  imports: [PowerMonitorModule],
  controllers: [PlansController],
  providers: [FleetSnapshotLoader, PlanFactory, PlanCancelService, PlanQueryService, OutagePlanner],
  exports: [PlanFactory, PlanCancelService, PlanQueryService, FleetSnapshotLoader],
})
export class PlansModule {}
