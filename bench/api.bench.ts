#!/usr/bin/env node
/**
 * npm run bench:api [-- --hosts 10000 --clients 50 --requests 3000 --seconds 20]
 *
 * Seeds a fresh database with a fleet, starts the orchestrator as its own process (as in
 * production: the load generator does not share its event loop), and measures with 50
 * concurrent keep-alive clients:
 *   GET /hosts?limit=100, a filtered host query, GET /fleet/summary,
 * then reads the same 100-host page directly with SQL (pg, same concurrency) for comparison.
 * The last line is `api p99 ms: X`, X being the worst p99 of the three API measurements.
 * The database is dropped at the end, whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

import { Client, Pool } from 'pg';

import { Prisma } from '@nutfleet/db';
import {
  type AppProcess,
  createTestDatabase,
  createTestRedisPrefix,
  freePort,
  startAppProcess,
  type TestDatabase,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../apps/orchestrator/src/auth/api-token.issuer';
import { hostListWhere } from '../apps/orchestrator/src/inventory/hosts/host-list.filter';
import { HOST_FROM, HOST_VIEW_JSON } from '../apps/orchestrator/src/inventory/hosts/host-view.sql';
import { formatSummary, type LatencySummary, runClosedLoop } from './api/latency';
import { seedFleet } from './api/seed-fleet';

function intArg(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const raw = args[at]?.includes('=') ? args[at]?.split('=')[1] : args[at + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer, got ${String(raw)}`);
  return value;
}

function getter(port: number, token: string, agent: Agent): (path: string) => Promise<boolean> {
  return (path) =>
    new Promise((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(res.statusCode === 200));
        },
      );
      req.on('error', () => resolve(false));
      req.end();
    });
}

async function main(): Promise<void> {
  const hosts = intArg('hosts', 10_000);
  const clients = intArg('clients', 50);
  const requests = intArg('requests', 3000);
  const seconds = intArg('seconds', 20);
  let db: TestDatabase | undefined;
  let app: AppProcess | undefined;
  const redis = createTestRedisPrefix();
  try {
    db = await createTestDatabase();
    const seedStart = performance.now();
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await seedFleet(admin, hosts);
    await admin.end();
    const token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'bench', role: 'viewer' }))).token;
    console.log(
      `seeded ${hosts} hosts (100 groups, 50 UPSes, ~${Math.round(hosts * 1.5)} feeds) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const port = await freePort();
    app = startAppProcess('dist/apps/orchestrator/src/main.js', {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      POWER_MONITOR_ENABLED: 'false',
      NUTFLEET_DEMO: 'off',
    });
    // LOG_LEVEL=warn keeps request logging out of the measurement, and the "listening" line too.
    await waitFor(
      'the orchestrator to answer /health',
      async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200,
      60_000,
      200,
    );

    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    const get = getter(port, token, agent);
    const scenarios: [string, string][] = [
      ['GET /hosts?limit=100', '/hosts?limit=100'],
      ['GET /hosts?limit=100&group=group-042&tag=rack-3', '/hosts?limit=100&group=group-042&tag=rack-3'],
      ['GET /fleet/summary', '/fleet/summary'],
    ];
    const results: LatencySummary[] = [];
    for (const [label, path] of scenarios) {
      if (!(await get(path))) throw new Error(`${path} did not answer 200`);
      await runClosedLoop(clients, 300, 10_000, () => get(path)); // warm-up: JIT, pools, plans
      const summary = await runClosedLoop(clients, requests, seconds * 1000, () => get(path));
      results.push(summary);
      console.log(formatSummary(label, summary));
      if (summary.errors > 0) throw new Error(`${summary.errors} requests to ${path} failed`);
    }
    agent.destroy();

    // The same first page, straight from PostgreSQL: same SQL, same concurrency, pg's pool of 10
    // (what the orchestrator's Prisma adapter uses).
    const page = Prisma.sql`SELECT h.name, ${HOST_VIEW_JSON}::text AS j ${HOST_FROM} ${hostListWhere({})} ORDER BY h.name LIMIT ${101}`;
    const pool = new Pool({ connectionString: db.url, max: 10 });
    await runClosedLoop(clients, 300, 10_000, async () => (await pool.query(page.text, page.values)).rowCount === 101);
    const sql = await runClosedLoop(
      clients,
      requests,
      seconds * 1000,
      async () => (await pool.query(page.text, page.values)).rowCount === 101,
    );
    await pool.end();
    console.log(formatSummary('SQL: same 100-host page (pg, direct)', sql));

    const worst = Math.max(...results.map((r) => r.p99));
    const first = results[0] as LatencySummary;
    console.log(
      `GET /hosts?limit=100 p99 / direct SQL p99: ${(first.p99 / sql.p99).toFixed(2)}x (target <= 5x); worst API p99 target <= 50 ms`,
    );
    console.log(`api p99 ms: ${worst.toFixed(2)}`);
  } finally {
    if (app) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    await db?.drop();
    await redis.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
