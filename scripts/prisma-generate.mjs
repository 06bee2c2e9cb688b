#!/usr/bin/env node
// `prisma generate` must resolve env("DATABASE_URL") before it can read the schema (otherwise the
// CLI falls back to downloading a native query engine, which fails offline). Generating needs no
// database, so a placeholder is enough when none is configured yet (a fresh clone's npm ci).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env };
env.DATABASE_URL ||= 'postgresql://placeholder@127.0.0.1:5432/placeholder';
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
