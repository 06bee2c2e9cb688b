import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { createPrismaClient, type PrismaClientWithPool } from '@nutfleet/db';

import { migrationsFingerprint, runPrismaCli } from './migrations';

/** Server used to create and drop the per-test databases (never a test's own data). */
export const TEST_ADMIN_DATABASE_URL =
  process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string, adminUrl: string = TEST_ADMIN_DATABASE_URL): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A template database migrated with `prisma migrate deploy`, built once per set of migrations;
 * copying it is far quicker than migrating each test's database. An advisory lock keeps test
 * files running in parallel from building it twice.
 */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `nutfleet_tpl_${migrationsFingerprint()}`;
  await withAdmin(adminUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(774411)');
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return;
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const result = await runPrismaCli(['migrate', 'deploy'], databaseUrl(building, adminUrl));
      if (result.code !== 0) {
        await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
        throw new Error(`prisma migrate deploy failed on the test template:\n${result.stdout}\n${result.stderr}`);
      }
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(774411)');
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  prisma: PrismaClientWithPool;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, fully migrated database of its own for one test file. */
export async function createTestDatabase(adminUrl: string = TEST_ADMIN_DATABASE_URL): Promise<TestDatabase> {
  const template = await ensureTemplate(adminUrl);
  const name = `nutfleet_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrl(name, adminUrl);
  const prisma = createPrismaClient({ databaseUrl: url, maxConnections: 5 });
  return {
    name,
    url,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await dropDatabase(name, adminUrl);
    },
  };
}

export async function dropDatabase(name: string, adminUrl: string = TEST_ADMIN_DATABASE_URL): Promise<void> {
  await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
