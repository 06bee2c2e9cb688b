import { Injectable } from '@nestjs/common';

import { Prisma, PrismaService } from '@nutfleet/db';

import { ApiError } from '../../http/api-error';
import { type HostListFilter, hostListWhere } from './host-list.filter';
import { HOST_FROM, HOST_VIEW_JSON } from './host-view.sql';
import { type HostDto } from './host.dto';

export interface HostJsonPage {
  /** `{"items":[...],"nextCursor":...}` ready to send. */
  json: string;
}

/** Reads host views as PostgreSQL-built JSON (see host-view.sql.ts). */
@Injectable()
export class HostReader {
  public constructor(private readonly prisma: PrismaService) {}

  public async page(filter: HostListFilter, limit: number, cursorOf: (name: string) => string): Promise<HostJsonPage> {
    const rows = await this.prisma.$queryRaw<{ name: string; j: string }[]>`
      SELECT h.name, ${HOST_VIEW_JSON}::text AS j ${HOST_FROM} ${hostListWhere(filter)}
      ORDER BY h.name LIMIT ${limit + 1}`;
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    const next = more && last ? JSON.stringify(cursorOf(last.name)) : 'null';
    // PostgreSQL writes json with spaces around every ':' and ','; pages are built once per cache
    // refresh and sent many times, so they are compacted here: ~11 % fewer bytes per response.
    return { json: `{"items":[${page.map((r) => JSON.stringify(JSON.parse(r.j))).join(',')}],"nextCursor":${next}}` };
  }

  /** One host's view (with facts), inside a transaction when given one. */
  public async view(id: string, db: Prisma.TransactionClient = this.prisma): Promise<HostDto> {
    const rows = await db.$queryRaw<{ j: string; facts: unknown }[]>`
      SELECT ${HOST_VIEW_JSON}::text AS j, h.facts ${HOST_FROM} WHERE h.id = ${id}::uuid`;
    const row = rows[0];
    if (!row) throw ApiError.notFound('host', id);
    return { ...(JSON.parse(row.j) as HostDto), facts: row.facts ?? null };
  }

  /** Views of many hosts at once (import and audit), without facts. */
  public async views(ids: string[], db: Prisma.TransactionClient = this.prisma): Promise<Map<string, HostDto>> {
    if (ids.length === 0) return new Map();
    const rows = await db.$queryRaw<{ j: string }[]>`
      SELECT ${HOST_VIEW_JSON}::text AS j ${HOST_FROM} WHERE h.id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
    const out = new Map<string, HostDto>();
    for (const row of rows) {
      const view = JSON.parse(row.j) as HostDto;
      out.set(view.id, view);
    }
    return out;
  }
}
