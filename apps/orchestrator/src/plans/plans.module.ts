import { Module } from '@nestjs/common';

import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { ProtectionModule } from '../protection/protection.module';
import { FleetSnapshotLoader } from './fleet-snapshot.loader';
import { HostHistoryController } from './host-history.controller';
import { PlanCancelService } from './plan-cancel.service';
import { PowerCycleStepsLoader } from '../power-cycle/power-cycle-steps.loader';
import { MeasuredDurationsLoader } from './measured-durations.loader';
import { PlanFactory } from './plan-factory.service';
import { PlanQueryService } from './plan-query.service';
import { PlansController } from './plans.controller';
import { ReplayController } from './replay/replay.controller';
import { PlanReportController } from './report/plan-report.controller';
import { PlanReportReader } from './report/plan-report.reader';

/** Shutdown plans: the API, creation and cancellation (the outage module drives the automatic ones). */
@Module({
  imports: [PowerMonitorModule, ProtectionModule],
  controllers: [PlansController, PlanReportController, ReplayController, HostHistoryController],
  providers: [
    FleetSnapshotLoader,
    PowerCycleStepsLoader,
    MeasuredDurationsLoader,
    PlanFactory,
    PlanCancelService,
    PlanQueryService,
    PlanReportReader,
  ],
  exports: [PlanFactory, PlanCancelService, PlanQueryService, FleetSnapshotLoader],
})
export class PlansModule {}
