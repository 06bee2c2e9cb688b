import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { type HostInventory, type PowerFeed, type ShutdownPolicy, type UpsHistory } from '@nutfleet/power';

import { DEFAULT_POLICY, toHostInventory, toShutdownPolicy } from './host-inventory.mapper';
import { buildUpsHistory, type PowerEventRecord } from './ups-history.builder';

/** Power history kept for decisions: longer than any flap window or on-battery threshold in use. */
const HISTORY_WINDOW_MS = 6 * 3600 * 1000;

export interface FleetSnapshot {
  readonly hosts: readonly HostInventory[];
  readonly feeds: readonly PowerFeed[];
  readonly policies: readonly ShutdownPolicy[];
  readonly histories: readonly UpsHistory[];
  readonly now: number;
}

/** Reads the inventory, policies and recorded UPS history into the inputs of `libs/power`. */
@Injectable()
export class FleetSnapshotLoader {
  public constructor(private readonly prisma: PrismaService) {}

  public async load(now = Date.now()): Promise<FleetSnapshot> {
    const [hosts, feeds, policies, upses, events] = await Promise.all([
      this.prisma.host.findMany({
        select: {
          id: true,
          name: true,
          minSupplies: true,
          shutdownStage: true,
          restartWave: true,
          policyId: true,
          facts: true,
          group: { select: { policyId: true } },
        },
      }),
      this.prisma.powerFeed.findMany({ select: { hostId: true, upsId: true, powerValue: true } }),
      this.prisma.policy.findMany(),
      this.prisma.ups.findMany({
        select: { id: true, nutServerId: true, status: true, variables: true, commState: true, lastSeenAt: true },
      }),
      this.prisma.powerEvent.findMany({
        where: { receivedAt: { gte: new Date(now - HISTORY_WINDOW_MS) }, upsId: { not: null } },
        select: { upsId: true, type: true, status: true, data: true, observedAt: true, receivedAt: true },
        orderBy: { id: 'asc' },
      }),
    ]);
    const eventsByUps = new Map<string, PowerEventRecord[]>();
    for (const e of events) {
      if (e.upsId === null) continue;
      const list = eventsByUps.get(e.upsId) ?? [];
      list.push({ type: e.type, status: e.status, data: e.data, at: (e.observedAt ?? e.receivedAt).getTime() });
      eventsByUps.set(e.upsId, list);
    }
    return {
      hosts: hosts.map((h) => toHostInventory({ ...h, groupPolicyId: h.group?.policyId ?? null })),
      feeds,
      policies: [DEFAULT_POLICY, ...policies.map(toShutdownPolicy)],
      histories: upses.map((u) =>
        buildUpsHistory({ ...u, lastSeenAt: u.lastSeenAt?.getTime() ?? null }, eventsByUps.get(u.id) ?? [], now),
      ),
      now,
    };
  }
}
