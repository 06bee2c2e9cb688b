import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { QueueInspector } from '../queue-inspection/queue-inspector.service';
import { MetricsRegistry } from './metrics.registry';

/**
 * BullMQ job counts per queue and state. `state="failed"` counts failed jobs still kept (a week
 * by default): its increase is the failure rate. Redis down: `nutfleet_queue_up` 0, no counts.
 */
@Injectable()
export class QueueMetricsCollector {
  public constructor(metrics: MetricsRegistry, inspector: QueueInspector) {
    const registers = [metrics.registry];
    const up = new Gauge({ name: 'nutfleet_queue_up', help: 'Queue counts could be read from Redis', registers });
    new Gauge({
      name: 'nutfleet_queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        try {
          const counts = await inspector.counts();
          for (const [queue, byState] of counts) {
            for (const [state, n] of Object.entries(byState)) this.set({ queue, state }, n);
          }
          up.set(1);
        } catch {
          up.set(0);
        }
      },
    });
  }
}
