import { Module } from '@nestjs/common';

import { PlansModule } from '../plans/plans.module';
import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { RestartModule } from '../restart/restart.module';
import { AutomaticRestart } from './automatic-restart.service';
import { OutagePlanner } from './outage-planner.service';
import { OutagesController } from './outages.controller';

/** Outages: the lifecycle on the monitor leader (shed, power back, restart) and the API that shows them. */
@Module({
  imports: [PlansModule, RestartModule, PowerMonitorModule],
  controllers: [OutagesController],
  providers: [OutagePlanner, AutomaticRestart],
})
export class OutagesModule {}
