import { type Pool } from 'pg';

import { type Prisma, type PrismaClient } from '@nutfleet/db';

/**
 * What the plan store runs on: a Prisma client and the pg pool under it (the outage hot paths use
 * plain SQL on that pool). Both apps' `PrismaService` is one; a process may give the safety path
 * a client of its own, on its own pool.
 */
export type PlanDatabase = PrismaClient & { readonly pool: Pool };

/** A Prisma transaction of the caller's, for writes that must commit with the caller's own rows. */
export type PlanTransaction = Prisma.TransactionClient;

/**
 * A plan contract (a detail, targets) as the JSON column it is stored in. The contracts are plain
 * data (strings, numbers, booleans, arrays, nested objects), which TypeScript cannot prove of an
 * interface: this is the one place that says so.
 */
export function asJson(value: object): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

/** Rows of a multi-row UPDATE sorted by id: two workers updating overlapping rows then wait instead of deadlocking. */
export function inLockOrder<T>(rows: readonly T[], id: (row: T) => string): T[] {
  return [...rows].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

/** The parallel arrays `unnest(...)` takes, one per column. */
export function columns<T>(rows: readonly T[], ...pick: ReadonlyArray<(row: T) => unknown>): unknown[][] {
  return pick.map((get) => rows.map(get));
}

/**
 * Which requests of a batched conditional update won: a row returned for an id answers its first
 * request only (two requests for one row in one batch: the statement updated it once).
 */
export function wonBy(ids: readonly string[], rows: ReadonlyArray<{ id: string }>): boolean[] {
  const won = new Set(rows.map((r) => r.id));
  return ids.map((id) => won.delete(id));
}
