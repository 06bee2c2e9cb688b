import { Module } from '@nestjs/common';

import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { RolloutsModule } from '../rollouts/rollouts.module';
import { FleetReadinessScoresModule } from './fleet-readiness-scores.module';
import { FleetReadinessController } from './fleet-readiness.controller';
import { FleetReadinessMetrics } from './fleet-readiness.metrics';
import { FleetReadinessScheduler } from './fleet-readiness.scheduler';
import { NutServerReadiness } from './nut-server-readiness';
import { MeasuredDurationsLoader } from '../plans/measured-durations.loader';
import { ReadinessInputsLoader } from './readiness-inputs.loader';

/** Fleet readiness: scheduling the checks, the orchestrator-side checks, GET /fleet/readiness, gauges. */
@Module({
  imports: [FleetReadinessScoresModule, RolloutsModule, PowerMonitorModule],
  controllers: [FleetReadinessController],
  providers: [
    FleetReadinessScheduler,
    ReadinessInputsLoader,
    MeasuredDurationsLoader,
    NutServerReadiness,
    FleetReadinessMetrics,
  ],
  exports: [FleetReadinessScheduler],
})
export class FleetReadinessModule {}
