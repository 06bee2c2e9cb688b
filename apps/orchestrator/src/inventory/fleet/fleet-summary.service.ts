import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

import { InventoryReadCache } from '../common/inventory-read-cache';

/** The fleet summary, served through the inventory read cache (see InventoryReadCache). */
@Injectable()
export class FleetSummaryService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly cache: InventoryReadCache,
  ) {}

  /** The summary as JSON bytes (built by PostgreSQL). */
  public summary(): Promise<Buffer> {
    return this.cache.get('fleet-summary', async () => Buffer.from(await this.compute()));
  }

  private async compute(): Promise<string> {
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
