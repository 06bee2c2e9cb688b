import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';

import { MetricsRegistry } from './metrics.registry';

/**
 * NUT poll latency, fed by the power monitor: one observation per poll round of a NUT server
 * (every UPS of that server read over its one connection). Only the monitor leader observes.
 */
@Injectable()
export class NutPollMetrics {
  private readonly histogram: Histogram<'server' | 'outcome'>;

  public constructor(metrics: MetricsRegistry) {
    this.histogram = new Histogram({
      name: 'nutfleet_nut_poll_duration_seconds',
      help: 'Duration of one poll round of a NUT server (LIST VAR of each of its UPSes), by outcome',
      labelNames: ['server', 'outcome'],
      // upsd answers in milliseconds on a LAN; seconds mean a timeout or a struggling server.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
  }

  public observe(server: string, seconds: number, ok: boolean): void {
    this.histogram.observe({ server, outcome: ok ? 'ok' : 'error' }, seconds);
  }
}
