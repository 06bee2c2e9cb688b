import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per application instance (not prom-client's global one), so two apps
 * in one process (tests) never register the same metric twice.
 */
@Injectable()
export class MetricsRegistry {
  public readonly registry = new Registry();

  public constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'nutfleet_orchestrator_' });
  }
}
