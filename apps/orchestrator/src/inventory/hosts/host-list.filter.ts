import { Prisma } from '@nutfleet/db';
import { HOST_POWER_STATE_COLUMN, type HostPowerStateName } from '@nutfleet/plan';

export interface HostListFilter {
  groupId?: string;
  group?: string;
  tag?: string;
  stage?: number;
  wave?: number;
  /** Already resolved from `ups` (name@server) or given as upsId. */
  upsId?: string;
  trustState?: string;
  power?: HostPowerStateName;
  hasError?: boolean;
  q?: string;
  /** Hosts named after this one (keyset pagination). */
  afterName?: string;
}

/** `%` and `_` in a search are literal characters, not patterns. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause of a host list; every value is a bound parameter. */
export function hostListWhere(filter: HostListFilter): Prisma.Sql {
  const c: Prisma.Sql[] = [];
  if (filter.groupId !== undefined) c.push(Prisma.sql`h."groupId" = ${filter.groupId}::uuid`);
  if (filter.group !== undefined) c.push(Prisma.sql`g.name = ${filter.group}`);
  if (filter.tag !== undefined) c.push(Prisma.sql`h.tags @> ARRAY[${filter.tag}]::text[]`);
  if (filter.stage !== undefined) c.push(Prisma.sql`h."shutdownStage" = ${filter.stage}`);
  if (filter.wave !== undefined) c.push(Prisma.sql`h."restartWave" = ${filter.wave}`);
  if (filter.upsId !== undefined)
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "PowerFeed" pf WHERE pf."hostId" = h.id AND pf."upsId" = ${filter.upsId}::uuid)`,
    );
  if (filter.trustState !== undefined) c.push(Prisma.sql`h."trustState" = ${filter.trustState}::"HostTrustState"`);
  if (filter.power !== undefined)
    c.push(Prisma.sql`h."powerState" = ${HOST_POWER_STATE_COLUMN[filter.power]}::"HostPowerState"`);
  if (filter.hasError === true) c.push(Prisma.sql`h."lastError" IS NOT NULL`);
  if (filter.hasError === false) c.push(Prisma.sql`h."lastError" IS NULL`);
  if (filter.q !== undefined) {
    const pattern = likeContains(filter.q);
    c.push(Prisma.sql`(h.name ILIKE ${pattern} OR h.address ILIKE ${pattern})`);
  }
  if (filter.afterName !== undefined) c.push(Prisma.sql`h.name > ${filter.afterName}`);
  return c.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}`;
}
