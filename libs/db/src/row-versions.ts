import { type Pool } from 'pg';

import { sqlRows } from './sql-rows';

/**
 * One short string that changes whenever a row of these tables is inserted, updated or deleted,
 * by Prisma or plain SQL: per table, its row count and the sum of its rows' transaction ids
 * (`xmin`; every write makes a new row version). Reading it scans no document and returns one
 * row, so a reader on a timer can skip re-reading (and re-mapping) thousands of rows that did not
 * change. Read it BEFORE the rows it guards: a change in between then only costs one more read.
 */
export async function rowVersions(pool: Pool, tables: readonly string[]): Promise<string> {
  const parts = tables.map(
    (table) => `(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM "${table}")`,
  );
  const [row] = await sqlRows<{ version: string }>(pool, `SELECT concat_ws('/', ${parts.join(', ')}) AS "version"`, []);
  return row?.version ?? '';
}
