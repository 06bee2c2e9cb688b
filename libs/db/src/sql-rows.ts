import { type Pool, type PoolClient, type QueryResult, types } from 'pg';

/** OID of PostgreSQL's `timestamp without time zone`, the type Prisma gives `DateTime` columns. */
const TIMESTAMP_OID = 1114;

/**
 * Prisma stores `DateTime` as UTC in `timestamp without time zone`; pg's default parser would
 * read those digits as the process's local time and shift every date on a machine not in UTC.
 */
function parseUtcTimestamp(value: string): Date {
  return new Date(`${value.replace(' ', 'T')}Z`);
}

const UTC_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID && format !== 'binary'
      ? parseUtcTimestamp
      : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
};

/**
 * Runs one SQL statement on the pg pool that Prisma also uses, without Prisma's query engine.
 * For hot paths only (a 1,000-host plan claims, updates and finishes thousands of steps within
 * seconds, and each Prisma query costs the worker about a millisecond of CPU). Values are sent
 * as parameters, never spliced; pass dates as ISO strings cast with `::timestamp(3)` so they are
 * stored as UTC whatever the process's time zone.
 */
export async function sqlRows<Row>(db: Pool | PoolClient, text: string, values: readonly unknown[]): Promise<Row[]> {
  return (await query(db, text, values)).rows as Row[];
}

/** Like sqlRows, for statements whose row count is the answer (conditional updates). */
export async function sqlCount(db: Pool | PoolClient, text: string, values: readonly unknown[]): Promise<number> {
  return (await query(db, text, values)).rowCount ?? 0;
}

function query(db: Pool | PoolClient, text: string, values: readonly unknown[]): Promise<QueryResult> {
  return db.query({ text, values: [...values], types: UTC_TYPES });
}

/**
 * Runs `work` in one transaction on a connection of its own from the pool: committed when it
 * resolves, rolled back when it throws (the error is rethrown as is, pg's `code` and
 * `constraint` intact).
 */
export async function withSqlTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Whether `error` is PostgreSQL's unique violation (23505), on `constraint` when given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && (constraint === undefined || violated === constraint);
}
