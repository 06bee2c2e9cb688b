import { Module } from '@nestjs/common';

import { PlansModule } from '../plans/plans.module';
import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { RestartModule } from '../restart/restart.module';
import { DrillReportLoader } from './drill-report.loader';
import { DrillScheduler } from './drill.scheduler';
import { DrillService } from './drill.service';
import { DrillSupervisor } from './drill.supervisor';
import { DrillsController } from './drills.controller';

/** Drills: rehearsals and live drills of test groups, their supervision, schedule and reports. */
@Module({
  imports: [PlansModule, RestartModule, PowerMonitorModule],
  controllers: [DrillsController],
  providers: [DrillService, DrillSupervisor, DrillScheduler, DrillReportLoader],
})
export class DrillsModule {}
