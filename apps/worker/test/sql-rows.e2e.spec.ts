import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Pool } from 'pg';

import { isUniqueViolation, sqlCount, sqlRows, withSqlTransaction } from '@nutfleet/db';
import { createTestDatabase, type TestDatabase } from '@nutfleet/testing';

/**
 * The plain-SQL helpers the outage hot paths use instead of Prisma must read and write dates
 * exactly as Prisma does (UTC in `timestamp without time zone`), whatever the process's zone.
 */
describe('sqlRows / sqlCount / withSqlTransaction against PostgreSQL', () => {
  let db: TestDatabase;
  let pool: Pool;
  const zone = process.env.TZ;

  before(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
    // A zone far from UTC: pg's default parser would shift every date by hours here.
    process.env.TZ = 'America/Los_Angeles';
  });

  after(async () => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    await pool?.end();
    await db?.drop();
  });

  test('a date written by Prisma reads back as the same instant, and one written as ISO text reads back through Prisma', async () => {
    const at = new Date('2026-11-24T23:30:01.234Z');
    const group = await db.prisma.hostGroup.create({ data: { name: 'tz-check' } });
    await db.prisma.hostGroup.update({ where: { id: group.id }, data: { createdAt: at } });
    const [row] = await sqlRows<{ createdAt: Date }>(
      pool,
      `SELECT "createdAt" FROM "HostGroup" WHERE "id" = $1::uuid`,
      [group.id],
    );
    assert.equal(row?.createdAt.toISOString(), at.toISOString());

    const later = new Date('2026-11-25T01:02:03.004Z');
    assert.equal(
      await sqlCount(pool, `UPDATE "HostGroup" SET "createdAt" = $2::timestamp(3) WHERE "id" = $1::uuid`, [
        group.id,
        later.toISOString(),
      ]),
      1,
    );
    const viaPrisma = await db.prisma.hostGroup.findUniqueOrThrow({ where: { id: group.id } });
    assert.equal(viaPrisma.createdAt.toISOString(), later.toISOString());
  });

  test('a transaction commits on success, rolls back on error, and keeps the unique violation recognisable', async () => {
    await withSqlTransaction(pool, (client) =>
      sqlCount(
        client,
        `INSERT INTO "HostGroup" ("id", "name", "updatedAt") VALUES (gen_random_uuid(), 'tx-a', now())`,
        [],
      ),
    );
    const failure = await withSqlTransaction(pool, async (client) => {
      await sqlCount(
        client,
        `INSERT INTO "HostGroup" ("id", "name", "updatedAt") VALUES (gen_random_uuid(), 'tx-b', now())`,
        [],
      );
      await sqlCount(
        client,
        `INSERT INTO "HostGroup" ("id", "name", "updatedAt") VALUES (gen_random_uuid(), 'tx-a', now())`,
        [],
      );
    }).catch((error: unknown) => error);
    assert.ok(isUniqueViolation(failure, 'HostGroup_name_key'), String(failure));
    assert.equal(isUniqueViolation(failure, 'Plan_dedupKey_key'), false);
    const names = (await db.prisma.hostGroup.findMany({ where: { name: { startsWith: 'tx-' } } })).map((g) => g.name);
    assert.deepEqual(names, ['tx-a'], 'tx-b was rolled back with the failed statement');
  });
});
