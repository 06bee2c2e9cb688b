import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';

import { PrismaService } from '@nutfleet/db';

import { UpsLiveStateService } from '../power-monitor/ups-live-state.service';
import { MetricsRegistry } from './metrics.registry';
import { hostUp, type Sample, upsGroupLabel, type UpsPlacement, upsSamples } from './ups-metric-series';

const UPS_LABELS = ['ups', 'nut_server', 'group'] as const;
type UpsLabel = (typeof UPS_LABELS)[number];

/**
 * UPS and host gauges, read from PostgreSQL at scrape time: every replica reports the same
 * values (the leader keeps the rows current), so any replica can be scraped.
 */
@Injectable()
export class FleetMetricsCollector {
  public constructor(metrics: MetricsRegistry, upses: UpsLiveStateService, prisma: PrismaService) {
    const registers = [metrics.registry];
    // One read of the UPS table serves all five gauges of a scrape: the first gauge's collect()
    // starts it, the others await the same promise.
    let pending: Promise<void> | null = null;
    const collect = (): Promise<void> => {
      pending ??= refreshUpses().finally(() => setImmediate(() => (pending = null)));
      return pending;
    };
    const ups = {
      status: new Gauge({
        name: 'nutfleet_ups_status',
        help: 'UPS status flag present (1) or not (0), from ups.status',
        labelNames: ['ups', 'nut_server', 'group', 'flag'],
        registers,
        collect,
      }),
      comm: new Gauge({
        name: 'nutfleet_ups_comm_ok',
        help: 'The NUT server answers for this UPS (1) or communication is lost/unknown (0)',
        labelNames: UPS_LABELS,
        registers,
        collect,
      }),
      charge: new Gauge({
        name: 'nutfleet_ups_battery_charge_percent',
        help: 'battery.charge',
        labelNames: UPS_LABELS,
        registers,
        collect,
      }),
      runtime: new Gauge({
        name: 'nutfleet_ups_battery_runtime_seconds',
        help: 'battery.runtime',
        labelNames: UPS_LABELS,
        registers,
        collect,
      }),
      load: new Gauge({
        name: 'nutfleet_ups_load_percent',
        help: 'ups.load',
        labelNames: UPS_LABELS,
        registers,
        collect,
      }),
    };
    const set = (gauge: Gauge<UpsLabel>, sample: Sample | null): void => {
      if (sample !== null) gauge.set(sample.labels, sample.value);
    };
    async function refreshUpses(): Promise<void> {
      const [views, placements] = await Promise.all([upses.list(), upsPlacements()]);
      for (const gauge of Object.values(ups)) gauge.reset();
      for (const view of views) {
        const samples = upsSamples(view, placements.get(view.id) ?? { nutServer: '', group: '' });
        for (const s of samples.status) ups.status.set(s.labels, s.value);
        set(ups.comm, samples.commOk);
        set(ups.charge, samples.charge);
        set(ups.runtime, samples.runtime);
        set(ups.load, samples.load);
      }
    }

    async function upsPlacements(): Promise<Map<string, UpsPlacement>> {
      const rows = await prisma.ups.findMany({
        select: {
          id: true,
          nutServer: { select: { name: true } },
          feeds: {
            where: { powerValue: { gt: 0 } },
            select: { host: { select: { group: { select: { name: true } } } } },
          },
        },
      });
      return new Map(
        rows.map((r) => [
          r.id,
          { nutServer: r.nutServer.name, group: upsGroupLabel(r.feeds.map((f) => f.host.group?.name ?? null)) },
        ]),
      );
    }

    new Gauge({
      name: 'nutfleet_host_up',
      help: 'The last contact with the ESXi host succeeded (1) or failed / never happened (0)',
      labelNames: ['host', 'group'],
      registers,
      async collect() {
        const hosts = await prisma.host.findMany({
          select: {
            name: true,
            trustState: true,
            lastSeenAt: true,
            lastError: true,
            group: { select: { name: true } },
          },
        });
        this.reset();
        for (const host of hosts) this.set({ host: host.name, group: host.group?.name ?? '' }, hostUp(host));
      },
    });
    new Gauge({
      name: 'nutfleet_hosts',
      help: 'Hosts in the inventory by host-key trust state',
      labelNames: ['trust_state'],
      registers,
      async collect() {
        const groups = await prisma.host.groupBy({ by: ['trustState'], _count: { _all: true } });
        this.reset();
        for (const state of ['UNTRUSTED', 'TRUSTED', 'MISMATCH']) this.set({ trust_state: state }, 0);
        for (const g of groups) this.set({ trust_state: g.trustState }, g._count._all);
      },
    });
  }
}
