import { Injectable } from '@nestjs/common';

import { type FactReadStatus, HOST_FACTS_SCHEMA_VERSION, PrismaService, sqlRows } from '@nutfleet/db';

/** What `assessHostProtection` needs of a Host row beyond the plan snapshot: no secret, only whether one is stored. */
export interface HostProtectionRow {
  readonly id: string;
  readonly name: string;
  readonly trustState: 'UNTRUSTED' | 'TRUSTED' | 'MISMATCH';
  readonly hasCredentials: boolean;
  readonly macAddresses: readonly string[];
  readonly powerState: 'ON' | 'OFF' | 'UNREACHABLE' | 'UNKNOWN';
  readonly powerStateSource: string | null;
  readonly lastSeenAt: Date | null;
  /** Facts schema version; null: never discovered. */
  readonly schemaVersion: number | null;
  readonly discoveredAt: string | null;
  /** `facts.reads.vms`: how the last read of the VM list went. */
  readonly vmsRead: FactReadStatus | null;
  /** `facts.nutClient.installed`; null when never read. */
  readonly vibInstalled: boolean | null;
  /** Power feeds with a power value above 0. */
  readonly supplyingFeeds: number;
  /** The host's last finished discovery line. */
  readonly lastDiscoveryState: 'SUCCEEDED' | 'FAILED' | null;
  readonly lastDiscoveryError: string | null;
  readonly lastDiscoveryAt: Date | null;
}

/**
 * Reads the protection facts of hosts with one SQL statement: only the parts of `Host.facts` it
 * judges (never whole documents), whether credentials are stored (never their ciphertext), the
 * number of supplying feeds and the host's last finished discovery line.
 */
@Injectable()
export class HostProtectionLoader {
  public constructor(private readonly prisma: PrismaService) {}

  /** `hostIds` undefined: every host. */
  public load(hostIds?: readonly string[]): Promise<HostProtectionRow[]> {
    return sqlRows<HostProtectionRow>(
      this.prisma.pool,
      `SELECT h."id"::text AS "id", h."name", h."trustState"::text AS "trustState",
              (h."passwordEnc" IS NOT NULL OR h."privateKeyEnc" IS NOT NULL) AS "hasCredentials",
              COALESCE(h."macAddresses", ARRAY[]::text[]) AS "macAddresses", h."powerState"::text AS "powerState", h."powerStateSource", h."lastSeenAt",
              (h."facts"->>'schemaVersion')::int AS "schemaVersion",
              h."facts"->>'discoveredAt' AS "discoveredAt",
              h."facts"->'reads'->'vms' AS "vmsRead",
              (h."facts"->'nutClient'->>'installed')::boolean AS "vibInstalled",
              (SELECT count(*) FROM "PowerFeed" f WHERE f."hostId" = h."id" AND f."powerValue" > 0)::int AS "supplyingFeeds",
              d."state"::text AS "lastDiscoveryState", d."error" AS "lastDiscoveryError", d."finishedAt" AS "lastDiscoveryAt"
         FROM "Host" h
         LEFT JOIN LATERAL (
           SELECT l."state", l."error", l."finishedAt" FROM "DiscoveryRunHost" l
            WHERE l."hostId" = h."id" AND l."finishedAt" IS NOT NULL
            ORDER BY l."finishedAt" DESC LIMIT 1) d ON true
        WHERE $1::uuid[] IS NULL OR h."id" = ANY($1::uuid[])
        ORDER BY h."name"`,
      [hostIds === undefined ? null : [...hostIds]],
    );
  }
}

/** Whether the row's facts are a document this code reads (see `isHostFacts`). */
export function isDiscovered(row: HostProtectionRow): boolean {
  return row.schemaVersion === HOST_FACTS_SCHEMA_VERSION && row.vmsRead !== null;
}

/**
 * Why nutfleet could not reach the host over SSH, when it could not at its last attempt: its power
 * state says so, or its last discovery failed after the last time it answered. A refusal before
 * connecting (key not trusted, no credentials) is not unreachability: those have their own codes.
 */
export function unreachableReason(row: HostProtectionRow): string | undefined {
  if (row.powerState === 'UNREACHABLE') return row.powerStateSource ?? 'its power state is "unreachable"';
  if (row.trustState !== 'TRUSTED' || !row.hasCredentials) return undefined;
  if (row.lastDiscoveryState !== 'FAILED' || row.lastDiscoveryAt === null) return undefined;
  if (row.lastSeenAt !== null && row.lastSeenAt.getTime() >= row.lastDiscoveryAt.getTime()) return undefined;
  return `discovery at ${row.lastDiscoveryAt.toISOString()}: ${row.lastDiscoveryError ?? 'failed'}`;
}
