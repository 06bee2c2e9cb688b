import { Module } from '@nestjs/common';

import { FleetReadinessAlerts } from './fleet-readiness.alerts';
import { FleetReadinessService } from './fleet-readiness.service';

/** Scores and alerts from the stored results: no SSH, no NUT (the dispatcher imports it). */
@Module({
  providers: [FleetReadinessService, FleetReadinessAlerts],
  exports: [FleetReadinessService, FleetReadinessAlerts],
})
export class FleetReadinessScoresModule {}
