import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { Client } from 'pg';

import {
  createTestDatabase,
  databaseUrl,
  dropDatabase,
  runPrismaCli,
  TEST_ADMIN_DATABASE_URL,
  type TestDatabase,
} from '@nutfleet/testing';

const run = promisify(execFile);

async function schemaDump(url: string): Promise<string> {
  const { stdout } = await run('pg_dump', [
    '--schema-only',
    '--no-owner',
    '--no-privileges',
    '-T',
    '_prisma_migrations',
    url,
  ]);
  // Drop comments, blank lines, session settings and psql meta-commands (\restrict carries a
  // random token), which vary between dumps of equal schemas.
  const lines = stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^(--|SET |SELECT pg_catalog|\\)/.test(line));
  return sortTableColumns(lines).join('\n');
}

/**
 * A migration that adds a column appends it to the table, while a schema built from scratch
 * places it where the model declares it: the same schema, in another column order. Columns are
 * compared as a set per table (without the separating commas).
 */
function sortTableColumns(lines: string[]): string[] {
  const out: string[] = [];
  let columns: string[] | undefined;
  for (const line of lines) {
    if (columns) {
      if (line.startsWith(')')) {
        out.push(...columns.sort(), line);
        columns = undefined;
      } else {
        columns.push(line.replace(/,$/, ''));
      }
    } else {
      out.push(line);
      if (/^CREATE TABLE .*\($/.test(line)) columns = [];
    }
  }
  return out;
}

/** The lines only one side has, so a failure shows the drift rather than two whole dumps. */
function lineDiff(a: string, b: string): string {
  const left = new Set(a.split('\n'));
  const right = new Set(b.split('\n'));
  const onlyMigrations = [...left].filter((l) => !right.has(l)).map((l) => `  migrations only: ${l}`);
  const onlySchema = [...right].filter((l) => !left.has(l)).map((l) => `  schema.prisma only: ${l}`);
  return [...onlyMigrations, ...onlySchema].slice(0, 40).join('\n');
}

let migrated: TestDatabase;
const fromSchemaName = `nutfleet_test_schema_${randomBytes(4).toString('hex')}`;

before(async () => {
  migrated = await createTestDatabase();
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${fromSchemaName}"`);
  await admin.end();
});

after(async () => {
  await migrated?.drop();
  await dropDatabase(fromSchemaName);
});

test('the committed migrations build exactly the schema in schema.prisma', async () => {
  const url = databaseUrl(fromSchemaName);
  const diff = await runPrismaCli(
    ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
    url,
  );
  assert.equal(diff.code, 0, diff.stderr);
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(diff.stdout.replace(/^Loaded Prisma config.*$/m, ''));
  await client.end();

  const [fromMigrations, fromSchema] = await Promise.all([schemaDump(migrated.url), schemaDump(url)]);
  assert.ok(fromSchema.includes('CREATE TABLE public."Host"'), 'the dump holds the schema');
  assert.ok(
    fromMigrations === fromSchema,
    `schema.prisma and prisma/migrations disagree (run \`npm run db:migration:new -- <name>\` and commit the migration):\n${lineDiff(fromMigrations, fromSchema)}`,
  );
});
