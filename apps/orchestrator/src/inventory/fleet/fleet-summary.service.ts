import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

import { HostProtectionService, unprotectedCount } from '../../protection/host-protection.service';
import { InventoryReadCache } from '../common/inventory-read-cache';

/** Protection warnings listed in the summary (hosts by name); `warningCount` counts them all. */
export const SUMMARY_WARNING_LIMIT = 1000;
/**
 * The protection part judges the whole fleet (a plan over every host, VIB drift): kept longer than
 * the counts, so 50 clients polling the summary do not rebuild it every second. Writes through
 * this replica drop it at once; discovery results and other replicas' writes show within 2 × this.
 */
export const PROTECTION_MAX_AGE_MS = 5000;

/** The fleet summary, served through the inventory read cache (see InventoryReadCache). */
@Injectable()
export class FleetSummaryService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly cache: InventoryReadCache,
    private readonly protection: HostProtectionService,
  ) {}

  /** The summary as JSON bytes (built by PostgreSQL). */
  public summary(): Promise<Buffer> {
    return this.cache.get('fleet-summary', async () => Buffer.from(await this.compute()));
  }

  private async compute(): Promise<string> {
    const [counts, warnings] = await Promise.all([
      this.counts(),
      this.cache.get('fleet-protection', () => this.protection.forFleet(), Date.now(), PROTECTION_MAX_AGE_MS),
    ]);
    // The counts are JSON text built by PostgreSQL: the protection part is appended to it.
    const protection = JSON.stringify({
      unprotected: unprotectedCount(warnings),
      warningCount: warnings.length,
      warnings: warnings.slice(0, SUMMARY_WARNING_LIMIT),
    });
    return counts.trim() === '{}' ? protection : `${counts.slice(0, -1)},${protection.slice(1)}`;
  }

  private async counts(): Promise<string> {
    const rows = await this.prisma.$queryRaw<{ j: string }[]>`
      SELECT json_build_object(
        'totalHosts', (SELECT count(*) FROM "Host"),
        'byTrustState', (SELECT json_build_object(
            'UNTRUSTED', count(*) FILTER (WHERE "trustState" = 'UNTRUSTED'),
            'TRUSTED', count(*) FILTER (WHERE "trustState" = 'TRUSTED'),
            'MISMATCH', count(*) FILTER (WHERE "trustState" = 'MISMATCH')) FROM "Host"),
        'byGroup', COALESCE((SELECT json_agg(json_build_object('groupId', x."groupId", 'group', g.name, 'hosts', x.n) ORDER BY g.name NULLS FIRST)
            FROM (SELECT "groupId", count(*) AS n FROM "Host" GROUP BY "groupId") x LEFT JOIN "HostGroup" g ON g.id = x."groupId"), '[]'::json),
        'byUps', COALESCE((SELECT json_agg(json_build_object('upsId', u.id, 'ups', u.name || '@' || s.name, 'status', u.status,
                'commState', u."commState", 'hosts', COALESCE(x.n, 0)) ORDER BY s.name, u.name)
            FROM "Ups" u JOIN "NutServer" s ON s.id = u."nutServerId"
            LEFT JOIN (SELECT "upsId", count(*) AS n FROM "PowerFeed" GROUP BY "upsId") x ON x."upsId" = u.id), '[]'::json),
        'hostsWithErrors', (SELECT count(*) FROM "Host" WHERE "lastError" IS NOT NULL),
        'hostsWithoutFeeds', (SELECT count(*) FROM "Host" h WHERE NOT EXISTS (SELECT 1 FROM "PowerFeed" f WHERE f."hostId" = h.id)),
        'errors', COALESCE((SELECT json_agg(json_build_object('id', e.id, 'name', e.name, 'lastError', e."lastError") ORDER BY e.name)
            FROM (SELECT id, name, "lastError" FROM "Host" WHERE "lastError" IS NOT NULL ORDER BY name LIMIT 20) e), '[]'::json),
        'generatedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      )::text AS j`;
    return rows[0]?.j ?? '{}';
  }
}
