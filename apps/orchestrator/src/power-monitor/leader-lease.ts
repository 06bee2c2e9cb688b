/**
 * The power monitor's leader lease, in PostgreSQL: one row (MonitorLeadership) holds the holder,
 * the lease's end on PostgreSQL's clock and the fencing token. Taking the lease over from another
 * holder raises the token in the same statement, and every write of the monitor and the outage
 * lifecycle checks that token in its own transaction (libs/db fencing), so a paused ex-leader can
 * never write after a takeover. PostgreSQL is already the one thing the safety path cannot do
 * without; Redis is not: losing Redis never stops the monitor.
 */
import { randomBytes } from 'node:crypto';

import { POWER_MONITOR_LEASE, type PrismaClient } from '@nutfleet/db';

export class LeaseTimeoutError extends Error {
  public constructor(operation: string, ms: number) {
    super(`PostgreSQL did not answer the lease ${operation} within ${ms} ms`);
    this.name = 'LeaseTimeoutError';
  }
}

export interface LeaderLeaseOptions {
  ttlMs: number;
  /** Bound on each statement, so a hung database can't stall the renewals. */
  commandTimeoutMs: number;
  /** Who we are, for operators (hostname:pid); a random part is added. */
  holderName: string;
  /** Name of the lease row. Default the power monitor's. */
  lease?: string;
}

export class LeaderLease {
  /** `holderName#random`: unique per process start. */
  public readonly holder: string;
  private fencing: bigint | null = null;
  private readonly lease: string;

  public constructor(
    private readonly db: PrismaClient,
    private readonly options: LeaderLeaseOptions,
  ) {
    this.holder = `${options.holderName}#${randomBytes(6).toString('hex')}`;
    this.lease = options.lease ?? POWER_MONITOR_LEASE;
  }

  /** Fencing token of the lease we hold, or null. */
  public get fencingToken(): bigint | null {
    return this.fencing;
  }

  /** Returns the fencing token if we hold the lease now (taken or kept), null if another does. */
  public async tryAcquire(): Promise<bigint | null> {
    const rows = await this.bounded(
      'acquire',
      this.db.$queryRaw<Array<{ fencingToken: bigint }>>`
        INSERT INTO "MonitorLeadership" (id, "fencingToken", holder, "leaseUntil", "updatedAt")
        VALUES (${this.lease}, 1, ${this.holder},
                clock_timestamp() + ${this.options.ttlMs} * interval '1 millisecond', clock_timestamp())
        ON CONFLICT (id) DO UPDATE
           SET "fencingToken" = CASE WHEN "MonitorLeadership".holder = EXCLUDED.holder
                                     THEN "MonitorLeadership"."fencingToken"
                                     ELSE "MonitorLeadership"."fencingToken" + 1 END,
               holder = EXCLUDED.holder, "leaseUntil" = EXCLUDED."leaseUntil", "updatedAt" = EXCLUDED."updatedAt"
         WHERE "MonitorLeadership".holder = EXCLUDED.holder
            OR "MonitorLeadership"."leaseUntil" IS NULL
            OR "MonitorLeadership"."leaseUntil" < clock_timestamp()
        RETURNING "fencingToken"`,
    );
    const fencing = rows[0]?.fencingToken;
    if (fencing === undefined) {
      this.fencing = null;
      return null;
    }
    this.fencing = fencing;
    return fencing;
  }

  /**
   * Extends our lease by the TTL; false when it is gone or held by someone else. `timeoutMs`
   * bounds this call instead of the usual `commandTimeoutMs`.
   */
  public async renew(timeoutMs = this.options.commandTimeoutMs): Promise<boolean> {
    if (this.fencing === null) return false;
    const count = await this.bounded(
      'renew',
      this.db.$executeRaw`
        UPDATE "MonitorLeadership"
           SET "leaseUntil" = clock_timestamp() + ${this.options.ttlMs} * interval '1 millisecond',
               "updatedAt" = clock_timestamp()
         WHERE id = ${this.lease} AND holder = ${this.holder} AND "fencingToken" = ${this.fencing}
           AND "leaseUntil" IS NOT NULL`,
      timeoutMs,
    );
    if (count === 1) return true;
    this.forget();
    return false;
  }

  /** Ends the lease if it is still ours, so another replica can take over at once. */
  public async release(): Promise<void> {
    const fencing = this.fencing;
    this.forget();
    if (fencing === null) return;
    await this.bounded(
      'release',
      this.db.$executeRaw`
        UPDATE "MonitorLeadership" SET "leaseUntil" = NULL, "updatedAt" = clock_timestamp()
         WHERE id = ${this.lease} AND holder = ${this.holder} AND "fencingToken" = ${fencing}`,
    );
  }

  /** Drops our idea of holding the lease without telling PostgreSQL (it will expire). */
  public forget(): void {
    this.fencing = null;
  }

  private async bounded<T>(operation: string, call: Promise<T>, timeoutMs = this.options.commandTimeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        call,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new LeaseTimeoutError(operation, timeoutMs)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
