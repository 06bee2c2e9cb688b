import { Module } from '@nestjs/common';

import { EventsController } from './events.controller';
import { NutConnectionTestService } from './nut-connection-test.service';
import { NutServerTestController } from './nut-server-test.controller';
import { PowerEventFeed } from './power-event.feed';
import { PowerEventsService } from './power-events.service';
import { PowerMonitorController } from './power-monitor.controller';
import { PowerMonitorLeadership } from './power-monitor.leadership';
import { PowerMonitorService } from './power-monitor.service';
import { PowerMonitorStore } from './power-monitor.store';
import { UpsController } from './ups.controller';
import { UpsHistoryController } from './ups-history.controller';
import { UpsLiveStateService } from './ups-live-state.service';

/**
 * The fleet power monitor (leader only), the UPS live state and power-event API, the live
 * stream, and the NUT server "test connection" action. Exports the live-state and tester
 * services for the inventory controllers.
 */
@Module({
  controllers: [UpsController, UpsHistoryController, EventsController, NutServerTestController, PowerMonitorController],
  providers: [
    PowerMonitorStore,
    PowerMonitorService,
    PowerMonitorLeadership,
    PowerEventsService,
    PowerEventFeed,
    UpsLiveStateService,
    NutConnectionTestService,
  ],
  exports: [
    UpsLiveStateService,
    PowerEventsService,
    NutConnectionTestService,
    PowerMonitorLeadership,
    PowerMonitorService,
  ],
})
export class PowerMonitorModule {}
