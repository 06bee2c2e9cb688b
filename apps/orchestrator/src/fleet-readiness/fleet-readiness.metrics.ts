import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { MetricsRegistry } from '../metrics/metrics.registry';
import { FleetReadinessService } from './fleet-readiness.service';

/** Gauges collected within this long of each other share one read. */
const SCRAPE_MS = 1000;

/**
 * Readiness gauges, read from PostgreSQL at scrape time (every replica serves the same values):
 * per host (with its group), per group, per fleet, and per failing check code, so one scrape
 * answers "which hosts, and why".
 */
@Injectable()
export class FleetReadinessMetrics {
  public constructor(metrics: MetricsRegistry, readiness: FleetReadinessService) {
    const registers = [metrics.registry];
    // One read per scrape for the four gauges (a scrape collects them together).
    let cached: { at: number; view: ReturnType<FleetReadinessService['current']> } | undefined;
    const current = (): ReturnType<FleetReadinessService['current']> => {
      const now = Date.now();
      if (cached === undefined || now - cached.at > SCRAPE_MS) cached = { at: now, view: readiness.current(now) };
      return cached.view;
    };
    new Gauge({
      name: 'nutfleet_readiness_host_score',
      help: 'Readiness score of a host, 0-100 (share of its checks passing); absent until checked',
      labelNames: ['host', 'host_id', 'group'],
      registers,
      async collect() {
        const v = await current();
        this.reset();
        for (const h of v.hosts) {
          if (h.score === null) continue;
          const group = h.groupId === null ? '' : (v.groupNames.get(h.groupId) ?? h.groupId);
          this.set({ host: v.hostNames.get(h.hostId) ?? h.hostId, host_id: h.hostId, group }, h.score);
        }
      },
    });
    new Gauge({
      name: 'nutfleet_readiness_group_score',
      help: 'Readiness score of a group (mean of its hosts), 0-100; group "" = hosts without a group',
      labelNames: ['group'],
      registers,
      async collect() {
        const v = await current();
        this.reset();
        for (const g of v.groups)
          if (g.score !== null)
            this.set({ group: g.groupId === null ? '' : (v.groupNames.get(g.groupId) ?? g.groupId) }, g.score);
      },
    });
    new Gauge({
      name: 'nutfleet_readiness_failing_checks',
      help: 'Hosts failing each readiness check, by check code',
      labelNames: ['code'],
      registers,
      async collect() {
        const v = await current();
        this.reset();
        const counts = new Map<string, number>();
        for (const h of v.hosts)
          for (const c of h.checks) counts.set(c.code, (counts.get(c.code) ?? 0) + (c.ok ? 0 : 1));
        for (const [code, n] of counts) this.set({ code }, n);
      },
    });
    new Gauge({
      name: 'nutfleet_readiness_fleet_score',
      help: 'Readiness score of the fleet (mean of its hosts), 0-100',
      registers,
      async collect() {
        const v = await current();
        this.reset();
        if (v.score !== null) this.set(v.score);
      },
    });
  }
}
