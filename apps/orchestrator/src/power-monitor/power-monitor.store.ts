/**
 * PostgreSQL side of the power monitor: the inventory it polls, and fenced writes. Every write
 * batch runs in one transaction that first reads the current fencing token FOR SHARE: a newer
 * leader's claim (an UPDATE of that row) waits for our transaction or makes it fail the check,
 * so a paused ex-leader can never write after a takeover.
 */
import { Injectable } from '@nestjs/common';

import {
  type CommState,
  POWER_MONITOR_LEASE,
  Prisma,
  SafetyPrismaService,
  type PowerEventType,
  type TlsMode,
  withFencedTransaction,
} from '@nutfleet/db';
import { type UpsSampleRecord } from '@nutfleet/power';

export { FencedOffError, POWER_MONITOR_LEASE } from '@nutfleet/db';

export interface InventoryUps {
  id: string;
  name: string;
  status: string | null;
  commState: CommState;
  commError: string | null;
}

export interface InventoryServer {
  id: string;
  host: string;
  port: number;
  tlsMode: TlsMode;
  tlsCaPem: string | null;
  tlsFingerprint: string | null;
  username: string | null;
  passwordEnc: string | null;
  updatedAt: Date;
  upses: InventoryUps[];
}

export interface PowerEventDraft {
  type: PowerEventType;
  upsId: string;
  status: string | null;
  previousStatus: string | null;
  data: Prisma.InputJsonValue;
  observedAt: Date | null;
  receivedAt: Date;
}

export interface UpsRowUpdate {
  id: string;
  status: string | null;
  variables: Readonly<Record<string, string>> | null;
  commState: CommState;
  commError: string | null;
  lastSeenAt: Date | null;
}

export interface MonitorWriteBatch {
  events: PowerEventDraft[];
  upses: UpsRowUpdate[];
  /** Battery samples, one per written UPS row with fresh figures (charts, discharge predictions). */
  samples: Array<UpsSampleRecord & { upsId: string }>;
}

@Injectable()
export class PowerMonitorStore {
  // One batch at a time: ids then commit in id order, which the live stream's `id > last`
  // tail relies on (two concurrent transactions could commit ids 11 then 10).
  private writeChain: Promise<unknown> = Promise.resolve();

  // The safety path's own pool: API load cannot take the connections that record an outage.
  public constructor(private readonly prisma: SafetyPrismaService) {}

  public async currentLeader(): Promise<{ fencingToken: bigint; holder: string; updatedAt: Date } | null> {
    return this.prisma.monitorLeadership.findUnique({ where: { id: POWER_MONITOR_LEASE } });
  }

  public async loadInventory(): Promise<InventoryServer[]> {
    return this.prisma.nutServer.findMany({
      select: {
        id: true,
        host: true,
        port: true,
        tlsMode: true,
        tlsCaPem: true,
        tlsFingerprint: true,
        username: true,
        passwordEnc: true,
        updatedAt: true,
        upses: {
          select: { id: true, name: true, status: true, commState: true, commError: true },
          orderBy: { name: 'asc' },
        },
      },
      orderBy: { id: 'asc' },
    });
  }

  /** Writes the batch if `token` is still current; throws FencedOffError otherwise. */
  public async write(token: bigint, batch: MonitorWriteBatch): Promise<void> {
    if (batch.events.length === 0 && batch.upses.length === 0 && batch.samples.length === 0) return;
    const run = this.writeChain.then(() => this.writeNow(token, batch));
    this.writeChain = run.catch(() => undefined);
    await run;
  }

  private async writeNow(token: bigint, batch: MonitorWriteBatch): Promise<void> {
    await withFencedTransaction(this.prisma, token, async (tx) => {
      // A UPS deleted since its poll must not fail the batch (and block every later one on
      // the foreign key): its events go with it.
      const upsIds = [...new Set([...batch.events, ...batch.samples].map((row) => row.upsId))];
      const existing = new Set(
        upsIds.length === 0
          ? []
          : (await tx.ups.findMany({ where: { id: { in: upsIds } }, select: { id: true } })).map((row) => row.id),
      );
      const events = batch.events.filter((event) => existing.has(event.upsId));
      if (events.length > 0) {
        await tx.powerEvent.createMany({ data: events.map((event) => ({ ...event, data: event.data })) });
      }
      const samples = batch.samples.filter((sample) => existing.has(sample.upsId));
      if (samples.length > 0) {
        await tx.upsSample.createMany({ data: samples.map((sample) => ({ ...sample, at: new Date(sample.at) })) });
      }
      for (const ups of batch.upses) {
        // updateMany: a UPS deleted meanwhile is simply skipped instead of failing the batch.
        await tx.ups.updateMany({
          where: { id: ups.id },
          data: {
            status: ups.status,
            ...(ups.variables === null ? {} : { variables: { ...ups.variables } }),
            commState: ups.commState,
            commError: ups.commError,
            ...(ups.lastSeenAt === null ? {} : { lastSeenAt: ups.lastSeenAt }),
          },
        });
      }
    });
  }
}
