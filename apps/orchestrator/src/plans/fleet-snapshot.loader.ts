import { Injectable } from '@nestjs/common';

import { PrismaService, rowVersions, sqlRows } from '@nutfleet/db';
import {
  buildUpsHistory,
  type HostInventory,
  type PowerEventRecord,
  type PowerFeed,
  type ShutdownPolicy,
  type UpsHistory,
  type UpsSampleRecord,
} from '@nutfleet/power';

import { type HostRecord, toHostInventory, toShutdownPolicy } from './host-inventory.mapper';

/** Power history kept for decisions: longer than any flap window or on-battery threshold in use. */
const HISTORY_WINDOW_MS = 6 * 3600 * 1000;
/** Battery samples read for a UPS on battery: enough of its episode to see the discharge. */
const SAMPLE_WINDOW_MS = 30 * 60 * 1000;

export interface FleetSnapshot {
  readonly hosts: readonly HostInventory[];
  readonly feeds: readonly PowerFeed[];
  readonly policies: readonly ShutdownPolicy[];
  /** The policy hosts without one of their own follow. */
  readonly defaultPolicyId: string;
  readonly histories: readonly UpsHistory[];
  readonly now: number;
}

/** The default policy row is missing (deleted behind the API's back): no host could be judged. */
export class DefaultPolicyMissingError extends Error {
  public constructor() {
    super('no default policy: hosts without a policy cannot be judged; run `npm run db:seed` to restore it');
    this.name = 'DefaultPolicyMissingError';
  }
}

/** The part of a snapshot that changes only when rows change: hosts, feeds, policies. */
interface Inventory {
  readonly hosts: readonly HostInventory[];
  readonly feeds: readonly PowerFeed[];
  readonly policies: readonly ShutdownPolicy[];
  readonly defaultPolicyId: string;
}

/** The tables the inventory is read from. */
const INVENTORY_TABLES = ['Host', 'HostGroup', 'PowerFeed', 'Policy'];

/**
 * Reads the inventory, policies and recorded UPS history into the inputs of `libs/power`.
 *
 * The hosts are read with plain SQL and only the parts of their discovered facts that decisions
 * and plans use (VMs, autostart): the outage planner loads a snapshot at every evaluation while
 * a plan runs, and through Prisma, with whole facts documents, 1,000 hosts cost the orchestrator
 * a CPU core's worth of time the worker needed for the first shutdown commands.
 *
 * The inventory is read again only when its tables' row versions changed (rowVersions). The planner
 * evaluates every PLAN_EVALUATE_INTERVAL_MS, outage or not: at 5,000 hosts, reading and mapping
 * them each time kept a core busy and delayed the reaction to a UPS event by seconds. The UPS
 * histories are always read fresh.
 */
@Injectable()
export class FleetSnapshotLoader {
  private cached: { readonly version: string; readonly inventory: Inventory } | undefined;

  public constructor(private readonly prisma: PrismaService) {}

  public async load(now = Date.now()): Promise<FleetSnapshot> {
    const [inventory, histories] = await Promise.all([this.inventory(), this.loadHistories(now)]);
    return { ...inventory, histories, now };
  }

  private async inventory(): Promise<Inventory> {
    const version = await rowVersions(this.prisma.pool, INVENTORY_TABLES);
    if (this.cached?.version === version) return this.cached.inventory;
    const inventory = await this.readInventory();
    this.cached = { version, inventory };
    return inventory;
  }

  private async readInventory(): Promise<Inventory> {
    const [hosts, feeds, policyRows] = await Promise.all([
      sqlRows<HostRecord>(
        this.prisma.pool,
        `SELECT h."id"::text AS "id", h."name", h."minSupplies", h."shutdownStage", h."restartWave",
                h."policyId"::text AS "policyId", g."policyId"::text AS "groupPolicyId",
                h."powerState"::text AS "powerState",
                CASE WHEN h."facts" IS NULL THEN NULL
                     ELSE jsonb_build_object('schemaVersion', h."facts"->'schemaVersion', 'vms', h."facts"->'vms',
                                             'autostart', h."facts"->'autostart',
                                             'reads', jsonb_build_object('vms', h."facts"->'reads'->'vms')) END AS "facts"
           FROM "Host" h LEFT JOIN "HostGroup" g ON g."id" = h."groupId"`,
        [],
      ),
      this.prisma.powerFeed.findMany({ select: { hostId: true, upsId: true, powerValue: true } }),
      this.prisma.policy.findMany(),
    ]);
    const defaultPolicy = policyRows.find((p) => p.isDefault);
    if (defaultPolicy === undefined) throw new DefaultPolicyMissingError();
    return {
      hosts: hosts.map((h) => toHostInventory(h, defaultPolicy.id)),
      feeds,
      policies: policyRows.map(toShutdownPolicy),
      defaultPolicyId: defaultPolicy.id,
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
    const samples = await this.loadSamples(
      upses.filter((u) => (u.status ?? '').split(/\s+/).includes('OB')).map((u) => u.id),
      now,
    );
    const eventsByUps = new Map<string, PowerEventRecord[]>();
    for (const e of events) {
      if (e.upsId === null) continue;
      const list = eventsByUps.get(e.upsId) ?? [];
      list.push({ type: e.type, status: e.status, data: e.data, at: (e.observedAt ?? e.receivedAt).getTime() });
      eventsByUps.set(e.upsId, list);
    }
    return upses.map((u) =>
      buildUpsHistory(
        { ...u, lastSeenAt: u.lastSeenAt?.getTime() ?? null },
        eventsByUps.get(u.id) ?? [],
        now,
        samples.get(u.id) ?? [],
      ),
    );
  }

  /** Battery samples of the UPSes on battery now: their observed discharge predicts their runtime. */
  private async loadSamples(upsIds: readonly string[], now: number): Promise<Map<string, UpsSampleRecord[]>> {
    const byUps = new Map<string, UpsSampleRecord[]>();
    if (upsIds.length === 0) return byUps;
    const rows = await this.prisma.upsSample.findMany({
      where: { upsId: { in: [...upsIds] }, at: { gte: new Date(now - SAMPLE_WINDOW_MS) } },
      select: { upsId: true, at: true, status: true, charge: true, runtimeSeconds: true, inputVoltage: true },
      orderBy: { at: 'asc' },
    });
    for (const r of rows) {
      const list = byUps.get(r.upsId) ?? [];
      list.push({ ...r, at: r.at.getTime() });
      byUps.set(r.upsId, list);
    }
    return byUps;
  }
}
