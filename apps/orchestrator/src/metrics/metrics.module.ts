import { Global, Module } from '@nestjs/common';

import { PowerMonitorModule } from '../power-monitor/power-monitor.module';
import { QueueInspectionModule } from '../queue-inspection/queue-inspection.module';
import { FleetMetricsCollector } from './fleet-metrics.collector';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';
import { NutPollMetrics } from './nut-poll.metrics';
import { PlanMetricsCollector } from './plan-metrics.collector';
import { QueueMetricsCollector } from './queue-metrics.collector';

/** GET /metrics. Global so the power monitor can record poll latency (NutPollMetrics). */
@Global()
@Module({
  imports: [PowerMonitorModule, QueueInspectionModule],
  controllers: [MetricsController],
  providers: [MetricsRegistry, NutPollMetrics, FleetMetricsCollector, PlanMetricsCollector, QueueMetricsCollector],
  exports: [NutPollMetrics, MetricsRegistry],
})
export class MetricsModule {}
