/**
 * npm run bench:monitor — detection latency of nutfleet's power monitor against stock upsmon.
 *
 * 50 UPSes on real NUT servers (5 upsd × 10 dummy-ups, dummy-ups pollinterval 1 s). Each UPS is
 * flipped OL → OB twice, at random moments (so flips fall anywhere in both pollers' phase), and
 * back to OL in between. The latency of one flip runs from the moment upsd first serves OB (seen
 * by a watch on its own connection, ServedWatcher; dummy-ups' 0–1 s pickup of the data file is a
 * simulation artifact and printed apart) to:
 * - nutfleet: the receivedAt of the STATUS_CHANGE PowerEvent row (orchestrator run as its own
 *   process from dist/, default settings: 250 ms pipelined polls);
 * - upsmon: the timestamp its NOTIFYCMD writes for ONBATT. upsmon is Debian's NUT 2.8.0,
 *   configured like the NutClient-ESXi VIB (POLLFREQ 5, POLLFREQALERT 5, DEADTIME 15, one
 *   `MONITOR ups@host:port 1 user pass secondary` line per UPS). NUT 2.8.0 runs one upsmon per
 *   host (its PID file path is compiled in), so one upsmon watches all 50 UPSes, polling them in
 *   turn every POLLFREQ like each ESXi host's upsmon does for its own. A secondary waits HOSTSYNC
 *   only once FSD is involved; ONBATT is notified on the first poll that sees OB, which is what
 *   is measured.
 * upsd's CPU (utime + stime from /proc/<pid>/stat, all 5 upsd = 50 UPSes) is measured over a
 * quiet window with nutfleet alone polling, before upsmon and the flips start.
 *
 * Everything it starts (upsd, dummy-ups, upsmon, the orchestrator, temp dirs, the database,
 * Redis keys) is stopped and removed at the end, also on failure or Ctrl-C.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sealSecret } from '@nutfleet/db';
import {
  type AppProcess,
  createTestDatabase,
  createTestRedisPrefix,
  freePort,
  type NutTestbed,
  startAppProcess,
  startNutTestbed,
  type TestDatabase,
  type TestRedisPrefix,
  waitFor,
} from '@nutfleet/testing';

import { totalCpuSeconds } from './common/process-cpu';
import { ServedWatcher } from './common/served-watch';
import { UPSMON, UpsmonProcess } from './common/upsmon-process';

const SERVERS = 5;
const UPS_PER_SERVER = 10;
const ROUNDS = 2;
/** Flips of one round are spread at random over this window. */
const ROUND_WINDOW_MS = 25_000;
/** How long a UPS stays on battery before going back on line (upsmon must see OB, then OL). */
const ON_BATTERY_MS = 9_000;
/** After the last flip back to OL, before the next round: both monitors must have seen OL. */
const SETTLE_MS = 8_000;
/** upsd's CPU is measured over this long with nutfleet alone polling. */
const CPU_WINDOW_MS = 20_000;

interface Flip {
  server: number;
  ups: string;
  upsId: string;
  changedAt: number;
  /** When upsd first served OB (the zero of both latencies); undefined if the watch missed it. */
  servedAt: number | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

function summary(label: string, latencies: number[], expected: number): { p99: number; line: string } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const max = sorted[sorted.length - 1] ?? Number.NaN;
  const missed = expected - latencies.length;
  const line = `${label.padEnd(9)} n=${latencies.length}/${expected}${missed > 0 ? ` (MISSED ${missed})` : ''}  p50 ${(p50 / 1000).toFixed(2)} s  p99 ${(p99 / 1000).toFixed(2)} s  max ${(max / 1000).toFixed(2)} s`;
  return { p99, line };
}

function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

/** upsmon watching every UPS of `beds` as a secondary, notifications timestamped (see UpsmonProcess). */
function upsmonConfig(beds: NutTestbed[]): string[] {
  return [
    ...beds.flatMap((bed) =>
      bed.upsNames.map(
        (ups) => `MONITOR ${ups}@${bed.host}:${bed.port} 1 ${bed.monitor.username} ${bed.monitor.password} secondary`,
      ),
    ),
    'MINSUPPLIES 1',
    // Never let the benchmark shut the machine down (comm loss while OB would be critical).
    'SHUTDOWNCMD "/bin/true"',
    'NOTIFYFLAG ONBATT EXEC',
    'NOTIFYFLAG ONLINE EXEC',
    'POLLFREQ 5',
    'POLLFREQALERT 5',
    'HOSTSYNC 15',
    'DEADTIME 15',
    'FINALDELAY 5',
  ];
}

/** ONBATT notifications: `name@host:port` → epoch ms list. */
function onBattery(upsmon: UpsmonProcess): Map<string, number[]> {
  const result = new Map<string, number[]>();
  for (const { at, type, ups } of upsmon.notifications()) {
    if (type !== 'ONBATT' || ups === '') continue;
    result.set(ups, [...(result.get(ups) ?? []), at]);
  }
  return result;
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.reverse())
      await Promise.resolve(fn()).catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
    cleanups.length = 0;
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    console.log(`starting ${SERVERS} upsd × ${UPS_PER_SERVER} dummy-ups, PostgreSQL database, orchestrator, upsmon…`);
    const beds: NutTestbed[] = [];
    cleanups.push(() => Promise.all(beds.map((bed) => bed.stop())));
    for (let i = 0; i < SERVERS; i += 1)
      beds.push(await startNutTestbed({ upses: UPS_PER_SERVER, pollIntervalSec: 1 }));

    const db: TestDatabase = await createTestDatabase();
    cleanups.push(() => db.drop());
    const redis: TestRedisPrefix = createTestRedisPrefix();
    cleanups.push(() => redis.cleanup());
    const secretKey = randomBytes(32);
    const upsIds = new Map<string, string>();
    for (const [index, bed] of beds.entries()) {
      const id = randomUUID();
      await db.prisma.nutServer.create({
        data: {
          id,
          name: `bench-${index}`,
          host: bed.host,
          port: bed.port,
          username: bed.monitor.username,
          passwordEnc: sealSecret(bed.monitor.password, secretKey, `nutServer:${id}:password`),
          upses: { create: bed.upsNames.map((name) => ({ name })) },
        },
      });
      for (const ups of await db.prisma.ups.findMany({ where: { nutServerId: id } }))
        upsIds.set(`${index}/${ups.name}`, ups.id);
    }

    const httpPort = await freePort();
    const orchestrator: AppProcess = startAppProcess('dist/apps/orchestrator/src/main.js', {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HTTP_PORT: String(httpPort),
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: secretKey.toString('hex'),
      NUTFLEET_DEMO: 'off',
    });
    cleanups.push(async () => {
      if (orchestrator.child.exitCode === null) {
        orchestrator.child.kill('SIGTERM');
        const timer = setTimeout(() => orchestrator.child.kill('SIGKILL'), 10_000);
        await orchestrator.exited;
        clearTimeout(timer);
      }
    });
    // Warm: every UPS read once by nutfleet.
    await waitFor(
      'nutfleet to read all 50 UPSes',
      async () =>
        (await db.prisma.ups.count({ where: { commState: 'OK', status: 'OL' } })) === SERVERS * UPS_PER_SERVER,
      60_000,
      500,
    );

    const upsdPids = beds.map((bed) => bed.upsdPid);
    const cpuBefore = totalCpuSeconds(upsdPids);
    const cpuStarted = Date.now();
    await sleep(CPU_WINDOW_MS);
    const upsdCpuPercent = ((totalCpuSeconds(upsdPids) - cpuBefore) / ((Date.now() - cpuStarted) / 1000)) * 100;

    const watchers: ServedWatcher[] = [];
    cleanups.push(() => watchers.forEach((watcher) => watcher.close()));
    for (const bed of beds) watchers.push(await ServedWatcher.open(bed));

    const upsmonDir = mkdtempSync(join(tmpdir(), 'nfbench-upsmon-'));
    cleanups.push(() => rmSync(upsmonDir, { recursive: true, force: true }));
    const upsmon = new UpsmonProcess(upsmonDir);
    // Stopped before the beds (registered later, runs earlier): no comm loss seen while OB.
    cleanups.push(() => upsmon.stop());
    upsmon.start(upsmonConfig(beds));
    // upsmon does not announce the first state; give it two poll cycles to connect and read all.
    await sleep(11_000);
    if (!upsmon.running) throw new Error(`upsmon exited:\n${upsmon.output}`);

    let peakRss = rssMb(orchestrator.child.pid) ?? 0;
    const rssTimer = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(orchestrator.child.pid) ?? 0);
    }, 1000);
    cleanups.push(() => clearInterval(rssTimer));

    const flips: Flip[] = [];
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round += 1) {
      console.log(
        `round ${round + 1}/${ROUNDS}: flipping ${SERVERS * UPS_PER_SERVER} UPSes OL -> OB at random moments over ${ROUND_WINDOW_MS / 1000} s`,
      );
      const timers: Promise<void>[] = [];
      for (const [server, bed] of beds.entries()) {
        for (const ups of bed.upsNames) {
          const offset = Math.random() * ROUND_WINDOW_MS;
          timers.push(
            (async () => {
              await sleep(offset);
              const served = watchers[server]
                ?.servedAt(ups, (status) => status.split(' ').includes('OB'))
                .catch(() => undefined);
              const changedAt = Date.now();
              bed.setStatus(ups, 'OB DISCHRG');
              const flip: Flip = {
                server,
                ups,
                upsId: upsIds.get(`${server}/${ups}`) ?? '',
                changedAt,
                servedAt: undefined,
              };
              flips.push(flip);
              const [servedAt] = await Promise.all([served, sleep(ON_BATTERY_MS)]);
              flip.servedAt = servedAt;
              bed.setStatus(ups, 'OL');
            })(),
          );
        }
      }
      await Promise.all(timers);
      await sleep(SETTLE_MS);
    }
    clearInterval(rssTimer);
    const rssNow = rssMb(orchestrator.child.pid);

    // nutfleet: the first OL -> OB* STATUS_CHANGE after each flip.
    const events = await db.prisma.powerEvent.findMany({ where: { type: 'STATUS_CHANGE' }, orderBy: { id: 'asc' } });
    const nutfleet: number[] = [];
    const upsmonLatencies: number[] = [];
    const notified = onBattery(upsmon);
    const pickups: number[] = [];
    for (const flip of flips) {
      if (flip.servedAt === undefined) continue;
      pickups.push(flip.servedAt - flip.changedAt);
      const event = events.find(
        (e) =>
          e.upsId === flip.upsId &&
          (e.status ?? '').split(' ').includes('OB') &&
          !(e.previousStatus ?? '').split(' ').includes('OB') &&
          e.receivedAt.getTime() >= flip.changedAt,
      );
      // Clamped at 0: the watch may see the change a few ms after nutfleet's poll did.
      if (event !== undefined) nutfleet.push(Math.max(0, event.receivedAt.getTime() - flip.servedAt));
      const bed = beds[flip.server];
      const name = `${flip.ups}@${bed?.host ?? ''}:${bed?.port ?? 0}`;
      const stamp = (notified.get(name) ?? []).find((at) => at >= flip.changedAt);
      if (stamp !== undefined && stamp - flip.changedAt < ON_BATTERY_MS + 1000)
        upsmonLatencies.push(Math.max(0, stamp - flip.servedAt));
    }
    const ours = summary('nutfleet', nutfleet, flips.length);
    const theirs = summary('upsmon', upsmonLatencies, flips.length);
    const pickup = summary('pickup', pickups, flips.length);
    console.log('');
    console.log(
      `${flips.length} flips (${ROUNDS} per UPS, ${SERVERS * UPS_PER_SERVER} UPSes on ${SERVERS} upsd) in ${Math.round((Date.now() - started) / 1000)} s; latency = upsd first serves OB -> detection`,
    );
    console.log(
      `nutfleet: orchestrator process, POWER_MONITOR_POLL_INTERVAL_MS=250 (default), one pipelined LIST VAR round per upsd, PowerEvent.receivedAt`,
    );
    console.log(
      `upsmon:   ${UPSMON} (NUT 2.8.0), one process, 50 MONITOR lines (secondary, power value 1), POLLFREQ 5, POLLFREQALERT 5, NOTIFYCMD timestamp of ONBATT`,
    );
    console.log(ours.line);
    console.log(theirs.line);
    console.log(`${pickup.line}  (dummy-ups: data file replaced -> upsd serves OB; not in the figures above)`);
    console.log(
      `upsd CPU with nutfleet polling ${SERVERS * UPS_PER_SERVER} UPSes (${SERVERS} upsd together, /proc/<pid>/stat over ${CPU_WINDOW_MS / 1000} s): ${upsdCpuPercent.toFixed(2)} % of one core (target < 5 %: ${upsdCpuPercent < 5 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `orchestrator resident memory watching ${SERVERS * UPS_PER_SERVER} UPSes: peak ${peakRss.toFixed(0)} MB, at end ${rssNow?.toFixed(0) ?? '?'} MB (target < 300 MB)`,
    );
    console.log(`nutfleet p99 target < 2 s: ${ours.p99 < 2000 ? 'met' : 'NOT met'}`);
    await cleanup();
    const ratio = theirs.p99 / ours.p99;
    console.log(
      `detection p99 ratio upsmon/nutfleet: ${ratio.toFixed(2)} (target >= 8: ${ratio >= 8 ? 'met' : 'NOT met'})`,
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`bench:monitor failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
