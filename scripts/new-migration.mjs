#!/usr/bin/env node
// Writes a new migration from the difference between the schema as last committed and the
// schema in the work tree. `prisma migrate dev` needs a live shadow database introspection that
// the offline WebAssembly engine cannot do; diffing two datamodels needs no database at all.
//
//   npm run db:migration:new -- add_host_notes
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration:new -- <snake_case_name>');
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'nutfleet-migration-'));
let from = ['--from-empty'];
try {
  const previous = execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  writeFileSync(join(scratch, 'previous.prisma'), previous);
  from = ['--from-schema-datamodel', join(scratch, 'previous.prisma')];
} catch {
  // No committed schema yet: the first migration starts from an empty database.
}

// The CLI opens its driver adapter even for a datamodel-to-datamodel diff, so it needs a
// reachable server (no database is read or changed).
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
};
const diff = spawnSync(
  process.execPath,
  [
    'node_modules/prisma/build/index.js',
    'migrate',
    'diff',
    ...from,
    '--to-schema-datamodel',
    'prisma/schema.prisma',
    '--script',
  ],
  { cwd: root, env, encoding: 'utf8' },
);
rmSync(scratch, { recursive: true, force: true });
if (diff.status !== 0) {
  process.stderr.write(diff.stderr);
  process.exit(diff.status ?? 1);
}
const sql = diff.stdout
  .split('\n')
  .filter((line) => !line.startsWith('Loaded Prisma config'))
  .join('\n')
  .trim();
if (sql === '' || sql === '-- This is an empty migration.') {
  console.error('No schema change since the last commit: no migration written.');
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = join(root, 'prisma', 'migrations', `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'migration.sql'), sql + '\n');
console.log(
  `Wrote ${join('prisma', 'migrations', `${stamp}_${name}`, 'migration.sql')}: review it, then commit it with the schema.`,
);
