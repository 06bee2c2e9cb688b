#!/usr/bin/env node
/**
 * npm run bench:api [-- --hosts 10000 --clients 50 --requests 15000 --seconds 20 --cpu-prof-dir DIR]
 *
 * Seeds a fresh database with a fleet, starts the orchestrator as its own process (as in
 * production: the load generator does not share its event loop), and measures with 50
 * concurrent keep-alive clients:
 *   GET /hosts?limit=100, a filtered host query, GET /fleet/summary,
 * then reads the same 100-host page directly with SQL (pg, same concurrency) for comparison.
 * Under each measurement: the mean response size and the CPU seconds used by this process (the
 * load generator, on the same cores) and by the orchestrator.
 * Each measurement is 15,000 requests (about 5 s; the SQL one stops at --seconds): a p99 taken
 * over one second of traffic moves by tens of percent with a single GC pause or scheduler hiccup.
 * The last line is `api p99 ms: X`, X being the worst p99 of the three API measurements.
 * The database is dropped at the end, whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

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
import { KeepAliveClient } from './api/keep-alive-client';
import { formatSummary, type LatencySummary, runClosedLoop } from './api/latency';
import { seedFleet } from './api/seed-fleet';
import { cpuProfileNodeArgs, intArg } from './common/cli-args';

/** CPU seconds (user + system) a process has used so far; NaN where /proc is not available. */
function processCpuSeconds(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Where the CPU went during one measurement: the load generator shares the machine's cores. */
async function withCpu<T>(orchestratorPid: number | undefined, run: () => Promise<T>): Promise<[T, string]> {
  const [own0, app0, t0] = [ownCpuSeconds(), processCpuSeconds(orchestratorPid), performance.now()];
  const result = await run();
  const wall = (performance.now() - t0) / 1000;
  const own = ownCpuSeconds() - own0;
  const app = processCpuSeconds(orchestratorPid) - app0;
  const orchestrator = orchestratorPid === undefined ? '' : `, orchestrator ${app.toFixed(2)} s`;
  return [result, `cpu over ${wall.toFixed(2)} s: load generator ${own.toFixed(2)} s${orchestrator}`];
}

async function main(): Promise<void> {
  const hosts = intArg('hosts', 10_000);
  const clients = intArg('clients', 50);
  const requests = intArg('requests', 15000);
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
    app = startAppProcess(
      'dist/apps/orchestrator/src/main.js',
      {
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: redis.prefix,
        NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
        HTTP_PORT: String(port),
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        POWER_MONITOR_ENABLED: 'false',
        NUTFLEET_DEMO: 'off',
      },
      // --cpu-prof-dir DIR: a CPU profile of the orchestrator under this load.
      cpuProfileNodeArgs(),
    );
    // LOG_LEVEL=warn keeps request logging out of the measurement, and the "listening" line too.
    const started = app;
    await waitFor(
      'the orchestrator to answer /health',
      async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200,
      60_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; orchestrator output:\n${started.output()}`);
    });

    // One keep-alive connection per client; each response read whole (and counted), not parsed.
    const connections = Array.from(
      { length: clients },
      () => new KeepAliveClient('127.0.0.1', port, { authorization: `Bearer ${token}` }),
    );
    let bytes = 0;
    const get = async (path: string, client = 0): Promise<boolean> => {
      const response = await (connections[client] as KeepAliveClient).get(path).catch(() => undefined);
      bytes += response?.bytes ?? 0;
      return response?.status === 200;
    };
    const pid = app.child.pid;
    const scenarios: [string, string][] = [
      ['GET /hosts?limit=100', '/hosts?limit=100'],
      ['GET /hosts?limit=100&group=group-042&tag=rack-3', '/hosts?limit=100&group=group-042&tag=rack-3'],
      ['GET /fleet/summary', '/fleet/summary'],
    ];
    const results: LatencySummary[] = [];
    for (const [label, path] of scenarios) {
      if (!(await get(path))) throw new Error(`${path} did not answer 200`);
      await runClosedLoop(clients, 300, 10_000, (client) => get(path, client)); // warm-up: JIT, pools, plans
      const bytes0 = bytes;
      const [summary, cpu] = await withCpu(pid, () =>
        runClosedLoop(clients, requests, seconds * 1000, (client) => get(path, client)),
      );
      results.push(summary);
      console.log(formatSummary(label, summary));
      console.log(`  ${((bytes - bytes0) / summary.count / 1000).toFixed(1)} kB per response; ${cpu}`);
      if (summary.errors > 0) throw new Error(`${summary.errors} requests to ${path} failed`);
    }
    for (const connection of connections) connection.close();

    // The same first page, straight from PostgreSQL: same SQL, same concurrency, pg's pool of 10
    // (what the orchestrator's Prisma adapter uses).
    const page = Prisma.sql`SELECT h.name, ${HOST_VIEW_JSON}::text AS j ${HOST_FROM} ${hostListWhere({})} ORDER BY h.name LIMIT ${101}`;
    const pool = new Pool({ connectionString: db.url, max: 10 });
    await runClosedLoop(clients, 300, 10_000, async () => (await pool.query(page.text, page.values)).rowCount === 101);
    const [sql, sqlCpu] = await withCpu(undefined, () =>
      runClosedLoop(
        clients,
        requests,
        seconds * 1000,
        async () => (await pool.query(page.text, page.values)).rowCount === 101,
      ),
    );
    await pool.end();
    console.log(formatSummary('SQL: same 100-host page (pg, direct)', sql));
    console.log(`  ${sqlCpu}`);

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
