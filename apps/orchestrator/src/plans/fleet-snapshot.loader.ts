import { Injectable } from '@nestjs/common';

import { PrismaService, sqlRows } from '@nutfleet/db';
import { type HostInventory, type PowerFeed, type ShutdownPolicy, type UpsHistory } from '@nutfleet/power';

import { DEFAULT_POLICY, type HostRecord, toHostInventory, toShutdownPolicy } from './host-inventory.mapper';
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

/**
 * Reads the inventory, policies and recorded UPS history into the inputs of `libs/power`.
 *
 * The hosts are read with plain SQL and only the parts of their discovered facts that decisions
 * and plans use (VMs, autostart): the outage planner loads a snapshot at every evaluation while
 * a plan runs, and through Prisma, with whole facts documents, 1,000 hosts cost the orchestrator
 * a CPU core's worth of time the worker needed for the first shutdown commands.
 */
@Injectable()
export class FleetSnapshotLoader {
  public constructor(private readonly prisma: PrismaService) {}

  public async load(now = Date.now()): Promise<FleetSnapshot> {
    const [hosts, feeds, policies, histories] = await Promise.all([
      sqlRows<HostRecord>(
        this.prisma.pool,
        `SELECT h."id"::text AS "id", h."name", h."minSupplies", h."shutdownStage", h."restartWave",
                h."policyId"::text AS "policyId", g."policyId"::text AS "groupPolicyId",
                CASE WHEN h."facts" IS NULL THEN NULL
                     ELSE jsonb_build_object('schemaVersion', h."facts"->'schemaVersion', 'vms', h."facts"->'vms',
                                             'autostart', h."facts"->'autostart') END AS "facts"
           FROM "Host" h LEFT JOIN "HostGroup" g ON g."id" = h."groupId"`,
        [],
      ),
      this.prisma.powerFeed.findMany({ select: { hostId: true, upsId: true, powerValue: true } }),
      this.prisma.policy.findMany(),
      this.loadHistories(now),
    ]);
    return {
      hosts: hosts.map(toHostInventory),
      feeds,
      policies: [DEFAULT_POLICY, ...policies.map(toShutdownPolicy)],
      histories,
      now,
    };
  }

  /** Only the UPS histories (for callers that decide on power alone: restart gates, previews). */
  public async loadHistories(now = Date.now()): Promise<UpsHistory[]> {
    const [upses, events] = await Promise.all([
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
    return upses.map((u) =>
      buildUpsHistory({ ...u, lastSeenAt: u.lastSeenAt?.getTime() ?? null }, eventsByUps.get(u.id) ?? [], now),
    );
  }
}
