#!/usr/bin/env node
// `npm start`: everything between a fresh clone and a running nutfleet.
//   1. installs dependencies if they are missing (npm ci)
//   2. creates .env from .env.example with a new secret key if there is no .env
//   3. builds, creates the database if needed, applies migrations, seeds (demo fleet when empty)
//   4. with the demo inventory active, starts the demo (simulated ESXi fleet + real upsd/dummy-ups)
//   5. runs the orchestrator and the worker until Ctrl-C / SIGTERM, which stops all of them cleanly
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { build, ensureDependencies, prepareEnvFile, root, run as runIn } from './lib/prepare.mjs';

const PREFIX = '[nutfleet]';
const say = (line) => process.stdout.write(`${PREFIX} ${line}\n`);
const fail = (line) => {
  process.stderr.write(`${PREFIX} ${line}\n`);
  process.exit(1);
};
const run = (command, args, what) => runIn(PREFIX, command, args, what);

// 1. Dependencies.
ensureDependencies(PREFIX);

// 2. Configuration.
const logFormatFromCaller = process.env.LOG_FORMAT;
prepareEnvFile(PREFIX);
// Readable logs on a terminal unless the caller chose a format.
if (!logFormatFromCaller && process.stdout.isTTY) process.env.LOG_FORMAT = 'pretty';

// 3. Build, database, migrations, seed.
say('building...');
build(PREFIX);

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_URL is not set (see .env)');
await ensureDatabase(databaseUrl);
say('applying database migrations...');
run(process.execPath, [join(root, 'node_modules/prisma/build/index.js'), 'migrate', 'deploy'], 'prisma migrate deploy');
run(process.execPath, [join(root, 'dist/prisma/seed.js')], 'the seed');
await createFirstAdminToken(databaseUrl);

// Every process in its own process group, so that one Ctrl-C reaches each once, via us.
const children = new Map();
let stopping = false;
function startChild(name, entry, { stdio = 'inherit', optional = false } = {}) {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, entry)], {
    cwd: root,
    stdio,
    env: process.env,
    detached: true,
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping && optional) {
      if (code !== 0) say(`the ${name} stopped (${signal ?? `exit ${code}`}); nutfleet keeps running without it`);
    } else if (!stopping) {
      process.stderr.write(
        `[nutfleet] the ${name} stopped unexpectedly (${signal ?? `exit ${code}`}): stopping the rest\n`,
      );
      process.exitCode = 1;
      stop('SIGTERM');
    }
    if (stopping && children.size === 0) process.exit(process.exitCode ?? 0);
  });
  return child;
}

process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

// 4. The demo: simulated hosts and NUT server for the demo inventory. It exits at once (0) when
//    the demo is not active, and says "demo ready" once everything listens.
await new Promise((resolve) => {
  const demo = startChild('demo', 'dist/libs/testing/src/demo/demo.cli.js', {
    stdio: ['ignore', 'pipe', 'inherit'],
    optional: true,
  });
  demo.stdout.setEncoding('utf8');
  demo.stdout.on('data', (text) => {
    process.stdout.write(text);
    if (text.includes('demo ready')) resolve();
  });
  demo.on('exit', resolve);
});

// 5. The orchestrator and the worker.
startChild('orchestrator', 'dist/apps/orchestrator/src/main.js');
startChild('worker', 'dist/apps/worker/src/main.js');
const host = process.env.HTTP_HOST || '127.0.0.1';
say(
  `running: API on http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${process.env.HTTP_PORT || 3000} (docs at /api/docs). Ctrl-C stops it.`,
);

function stop(signal) {
  if (stopping) {
    // A second Ctrl-C: do not wait any longer.
    for (const child of children.values()) child.kill('SIGKILL');
    return;
  }
  stopping = true;
  say(`stopping (${signal})...`);
  if (children.size === 0) process.exit(process.exitCode ?? 0);
  for (const child of children.values()) child.kill(signal);
}

async function ensureDatabase(url) {
  const require = createRequire(join(root, 'package.json'));
  const { Client } = require('pg');
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    fail(`PostgreSQL at ${target.host} is unreachable (${error.message}): start it, or set DATABASE_URL in .env`);
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      say(`created database ${name}`);
    }
  } catch (error) {
    fail(`could not create database ${name} (${error.message}): create it yourself, or use a role allowed to`);
  } finally {
    await client.end();
  }
}

/**
 * On an installation without any API token, the API and the dashboard would be locked to
 * everyone: create an admin token once and show it (only its hash is stored).
 */
async function createFirstAdminToken(url) {
  const require = createRequire(join(root, 'package.json'));
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  let count;
  try {
    count = Number((await client.query('SELECT count(*) AS n FROM "ApiToken"')).rows[0].n);
  } finally {
    await client.end();
  }
  if (count > 0) return;
  const result = spawnSync(
    process.execPath,
    [join(root, 'dist/apps/orchestrator/src/cli/token-create.cli.js'), '--name', 'admin', '--role', 'admin'],
    { cwd: root, env: process.env, encoding: 'utf8' },
  );
  if (result.status !== 0) fail(`could not create the first admin token: ${result.stderr.trim()}`);
  say(`first start: created the admin API token below. It is shown once: store it now.`);
  say(`  ${result.stdout.trim()}`);
  say(
    `sign in to the dashboard with it, or call the API with "Authorization: Bearer <token>"; more: npm run token:create`,
  );
}
