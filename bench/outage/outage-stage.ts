/**
 * The stage of the outage benches (bench:outage, bench:failover): N simulated ESXi hosts in their
 * own process streaming a command log, one UPS on a real upsd + dummy-ups (pollinterval 1 s), a
 * fresh PostgreSQL database seeded with the fleet (see seed-outage-fleet.ts), and the product's
 * processes with default settings: `orchestrators` orchestrators (each its own HTTP port) and
 * `workers` workers. Then, as in production before an outage, the inventory discovered through
 * the API and the worker's warm SSH session to every host.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  type AppProcess,
  createTestDatabase,
  freePort,
  type NutTestbed,
  startAppProcess,
  startNutTestbed,
  type TestDatabase,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../../apps/orchestrator/src/auth/api-token.issuer';
import { SimulatorProcess } from '../ssh/simulator-process';
import { CommandLog } from './command-log';
import { type SeededFleet, seedOutageFleet } from './seed-outage-fleet';

export const OUTAGE_UPS = 'ups1';

export type Cleanups = Array<() => Promise<unknown> | unknown>;

export interface OutageStageOptions {
  readonly hostCount: number;
  readonly orchestrators: number;
  readonly workers: number;
  /** Where Redis is: REDIS_URL + REDIS_KEY_PREFIX, or REDIS_SENTINELS + REDIS_SENTINEL_MASTER. */
  readonly redisEnv: Readonly<Record<string, string>>;
  /** More sim CLI options. */
  readonly simArgs?: readonly string[];
  /** More node options for the apps (e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /** Settings an administrator would give this fleet, beyond the defaults (same for every app). */
  readonly appEnv?: Readonly<Record<string, string>>;
  /** Where to keep each app's output (orchestrator-N.log, worker-N.log) when the stage stops. */
  readonly logsDir?: string;
}

export interface OutageStage {
  readonly sim: SimulatorProcess;
  readonly bed: NutTestbed;
  readonly db: TestDatabase;
  readonly fleet: SeededFleet;
  readonly log: CommandLog;
  readonly orchestrators: readonly AppProcess[];
  readonly workers: readonly AppProcess[];
  /** The first orchestrator's HTTP base URL and an operator token for it. */
  readonly api: { readonly base: string; readonly token: string };
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** SIGTERM, SIGKILL after 10 s; nothing when it has exited already. */
export async function stopProcess(app: AppProcess | undefined): Promise<void> {
  if (app === undefined || app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 10_000);
  await app.exited;
  clearTimeout(timer);
}

/**
 * Starts everything and waits until the fleet is discovered and warm. What it starts is stopped
 * by the functions it pushes on `cleanups` (run them last-first).
 */
export async function startOutageStage(options: OutageStageOptions, cleanups: Cleanups): Promise<OutageStage> {
  const { hostCount } = options;
  const dir = mkdtempSync(join(tmpdir(), 'nfbench-outage-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nutfleet-bench', '-f', key]);
  const logFile = join(dir, 'commands.jsonl');
  writeFileSync(logFile, '');

  console.log(`starting ${hostCount} simulated ESXi hosts (own process), upsd + dummy-ups, PostgreSQL database…`);
  const started = Date.now();
  const [sim, bed, db] = await Promise.all([
    SimulatorProcess.start(hostCount, `${key}.pub`, 300_000, [
      '--command-log',
      logFile,
      '--version',
      '8.0',
      ...(options.simArgs ?? []),
    ]),
    startNutTestbed({ upses: [{ name: OUTAGE_UPS }], pollIntervalSec: 1 }),
    createTestDatabase(),
  ]);
  cleanups.push(() => sim.stop());
  cleanups.push(() => bed.stop());
  cleanups.push(() => db.drop());
  console.log(`  ready in ${secs(Date.now() - started)}`);

  const secretKey = randomBytes(32);
  const fleet = await seedOutageFleet(db.prisma, secretKey, bed, OUTAGE_UPS, sim.hosts);
  const token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'bench', role: 'operator' }))).token;

  const env = (httpPort: number): Record<string, string> => ({
    NODE_ENV: 'production',
    HTTP_PORT: String(httpPort),
    DATABASE_URL: db.url,
    ...options.redisEnv,
    NUTFLEET_SECRET_KEY: secretKey.toString('hex'),
    NUTFLEET_DEMO: 'off',
    ...options.appEnv,
  });
  const nodeArgs = options.nodeArgs ?? [];
  const orchestrators: AppProcess[] = [];
  const workers: AppProcess[] = [];
  const { logsDir } = options;
  // Pushed before the processes' stops, so it runs after them: the whole output is kept.
  if (logsDir !== undefined)
    cleanups.push(() => {
      mkdirSync(logsDir, { recursive: true });
      orchestrators.forEach((app, i) => writeFileSync(join(logsDir, `orchestrator-${i + 1}.log`), app.output()));
      workers.forEach((app, i) => writeFileSync(join(logsDir, `worker-${i + 1}.log`), app.output()));
      console.log(`app logs kept in ${logsDir}`);
    });
  let firstPort = 0;
  for (let i = 0; i < options.orchestrators; i += 1) {
    const port = await freePort();
    if (i === 0) firstPort = port;
    const orchestrator = startAppProcess('dist/apps/orchestrator/src/main.js', env(port), nodeArgs);
    orchestrators.push(orchestrator);
    cleanups.push(() => stopProcess(orchestrator));
  }
  for (let i = 0; i < options.workers; i += 1) {
    const worker = startAppProcess('dist/apps/worker/src/main.js', env(await freePort()), nodeArgs);
    workers.push(worker);
    cleanups.push(() => stopProcess(worker));
  }
  await waitFor(
    'the orchestrator to read the UPS',
    async () => (await db.prisma.ups.count({ where: { commState: 'OK', status: 'OL' } })) === 1,
    60_000,
    250,
  );
  const api = { base: `http://127.0.0.1:${firstPort}`, token };
  await discoverFleet(api, hostCount);
  const log = new CommandLog(logFile);
  // Steady state, as when an outage finds a fleet that has run for a while. First, every host's
  // first readiness check, which runs once for hosts just added (later passes are spread over
  // FLEET_READINESS_INTERVAL_SECONDS): SSH checks still running at the flip took CPU from the
  // shutdown. Then a whole warm-up pass of every worker (its own SSH session to every host,
  // `true` on each) that ended after them: the flip comes just after it, the next pass is
  // HOST_SESSION_WARM_INTERVAL_MS later. A pass still running at the flip (at 5,000 hosts one
  // takes many seconds) measured the warm-up, not the outage, and doubled the spread of runs.
  await waitFor(
    'the first readiness check of every host',
    async () => (await db.prisma.fleetReadinessCheck.count({ where: { code: 'SSH_AUTH' } })) >= hostCount,
    600_000,
    1000,
  );
  const checkedAt = Date.now();
  await waitFor(
    'a whole warm-up pass of every worker',
    () => {
      log.refresh();
      const passes = log.countMatching(/^'?true'?$/, checkedAt);
      return Promise.resolve(
        passes.size >= hostCount && [...passes.values()].every((count) => count >= options.workers),
      );
    },
    600_000,
    500,
  );
  console.log(
    `steady state: every host's first readiness check done, then a warm-up pass of each of the ${options.workers} worker(s): a pooled SSH session to every host`,
  );
  return { sim, bed, db, fleet, log, orchestrators, workers, api };
}

/** Discovery through the API, as an administrator does after adding hosts: VMs and autostart. */
async function discoverFleet(api: { base: string; token: string }, hostCount: number): Promise<void> {
  const headers = { authorization: `Bearer ${api.token}` };
  const discovery = await fetch(`${api.base}/hosts/discover`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{}',
  });
  if (discovery.status !== 202) throw new Error(`discovery: HTTP ${discovery.status} ${await discovery.text()}`);
  const { runId } = (await discovery.json()) as { runId: string };
  const discoveredAt = Date.now();
  let progress = { state: 'running', done: 0, succeeded: 0 };
  await waitFor(
    'discovery of every host',
    async () => {
      const response = await fetch(`${api.base}/discovery-runs/${runId}`, { headers });
      progress = (await response.json()) as typeof progress;
      return progress.state === 'finished';
    },
    600_000,
    1000,
  );
  if (progress.succeeded < hostCount)
    throw new Error(`discovery: only ${progress.succeeded}/${hostCount} hosts discovered`);
  console.log(`discovery run ${runId}: ${hostCount} hosts in ${secs(Date.now() - discoveredAt)}`);
}
