import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { after, test } from 'node:test';

import { createTestRedisPrefix, databaseUrl, dropDatabase, freePort, REPO_ROOT } from '@nutfleet/testing';

// Issue 8's "Done when": `npm run demo:outage` (the real entry point: its build, `npm start` with
// the demo, the outage, the timeline) completes and prints the restart waves in order. Each run
// gets its own database, Redis prefix, API port and demo SSH ports (NUTFLEET_DEMO_SSH_BASE_PORT),
// so it can run beside quick-start.e2e.spec.ts, whose `npm start` runs the demo on the default
// 22001-22012, and beside a developer's own demo.

const DEMO_HOSTS = 12;
const RUN_TIMEOUT_MS = 4 * 60_000;
const cleanups: Array<() => Promise<void>> = [];

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A process seen under the run, by its start time too: a pid reused later is another process. */
interface Seen {
  readonly pid: number;
  readonly startTime: string;
  readonly command: string;
}

function stat(pid: number): { ppid: number; startTime: string; command: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie has exited, only its parent has not reaped it
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return {
      ppid: Number(fields[1]),
      startTime: fields[19] ?? '',
      command: cmdline || text.slice(text.indexOf('(') + 1, close),
    };
  } catch {
    return undefined;
  }
}

/**
 * Records every descendant of `root` while it runs (the demo detaches each child into its own
 * process group, so a group check would miss them; the parent links do not).
 */
function trackDescendants(root: number): { seen: Map<number, Seen>; stop(): void } {
  const seen = new Map<number, Seen>();
  const scan = (): void => {
    const parents = new Map<number, number>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const s = stat(pid);
      if (s) parents.set(pid, s.ppid);
    }
    const known = new Set<number>([root, ...seen.keys()]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of parents) {
        if (known.has(pid) || !known.has(ppid)) continue;
        known.add(pid);
        grew = true;
        const s = stat(pid);
        if (s) seen.set(pid, { pid, startTime: s.startTime, command: s.command });
      }
    }
  };
  const timer = setInterval(scan, 200);
  return { seen, stop: () => clearInterval(timer) };
}

function stillRunning(seen: Map<number, Seen>): Seen[] {
  return [...seen.values()].filter((p) => stat(p.pid)?.startTime === p.startTime);
}

function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** 12 consecutive free loopback ports below the ephemeral range (where freePort() picks). */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 23_000 + Math.floor(Math.random() * 9_000);
    const held: Server[] = [];
    for (let i = 0; i < count; i++) {
      const server = await listen(base + i);
      if (!server) break;
      held.push(server);
    }
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    if (held.length === count) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

interface Run {
  readonly code: number | null;
  readonly output: string;
  readonly ms: number;
  readonly leftovers: Seen[];
}

/** `npm run demo:outage` in the repository, as a user runs it, with an installation of its own. */
async function runDemoOutage(basePort: number): Promise<Run> {
  const dbName = `nutfleet_test_demo_outage_${randomBytes(4).toString('hex')}`;
  const redis = createTestRedisPrefix();
  cleanups.push(async () => {
    await dropDatabase(dbName);
    await redis.cleanup();
  });
  const started = Date.now();
  const child = spawn('npm', ['run', 'demo:outage'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      DATABASE_URL: databaseUrl(dbName),
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
      HTTP_PORT: String(await freePort()),
      NUTFLEET_DEMO_SSH_BASE_PORT: String(basePort),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own group, so that a timeout can stop everything it started at once.
    detached: true,
  });
  const tracked = trackDescendants(child.pid ?? -1);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      output += `\n[test] no exit after ${RUN_TIMEOUT_MS / 1000} s: killing it\n`;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, RUN_TIMEOUT_MS);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const ms = Date.now() - started;
  tracked.stop();
  // What demo:outage started stops on its own before it exits; allow the kernel a moment to reap.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const leftovers = stillRunning(tracked.seen);
  for (const p of leftovers) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return { code, output, ms, leftovers };
}

test(
  'npm run demo:outage plays the outage and prints the restart waves 0 → 1 → 2, leaving nothing running',
  { timeout: RUN_TIMEOUT_MS + 60_000 },
  async () => {
    const run = await runDemoOutage(await freePortRange(DEMO_HOSTS));
    process.stdout.write(`# demo:outage took ${(run.ms / 1000).toFixed(1)} s\n`);
    const out = run.output;
    assert.equal(run.code, 0, out);
    assert.deepEqual(run.leftovers, [], `processes left running:\n${out}`);

    const timeline = out.slice(out.indexOf('=== nutfleet demo outage timeline'));
    assert.ok(timeline.startsWith('==='), out);
    const lines = timeline.split('\n');
    const first = (pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));
    const onBattery = first(/power\s+ups-[ab]: OL → OB/);
    const shutdownDone = first(/plan\s+SHUTDOWN plan finished: SUCCEEDED/);
    const powerBack = first(/power\s+ups-[ab]: OB[^→]* → OL/);
    const restartDone = first(/plan\s+RESTART plan finished: SUCCEEDED/);
    assert.ok(onBattery >= 0, `no power failure in the timeline:\n${timeline}`);
    assert.ok(shutdownDone > onBattery, `no finished shutdown after the power failure:\n${timeline}`);
    assert.ok(powerBack > onBattery, `power never returned:\n${timeline}`);
    assert.ok(restartDone > powerBack, `no finished restart after power returned:\n${timeline}`);
    assert.equal(lines.filter((l) => /host powered off \(SUCCEEDED\)/.test(l)).length, DEMO_HOSTS, timeline);

    // Every host of a wave verified before the first magic packet of the next one.
    const wakes = (wave: number): number[] =>
      lines.flatMap((l, i) => (new RegExp(`restart\\s+wave ${wave} .*magic packets sent`).test(l) ? [i] : []));
    const verified = (wave: number): number[] =>
      lines.flatMap((l, i) => (new RegExp(`restart\\s+wave ${wave} .*ESXi verified`).test(l) ? [i] : []));
    assert.deepEqual(
      [0, 1, 2].map((w) => verified(w).length),
      [4, 4, 4],
      timeline,
    );
    for (const wave of [1, 2]) {
      assert.ok(Math.min(...wakes(wave)) > Math.max(...verified(wave - 1)), `wave ${wave} early:\n${timeline}`);
      assert.ok(Math.min(...wakes(wave)) > powerBack, timeline);
    }
    assert.match(
      timeline,
      new RegExp(`restart waves in the order they were woken: 0 → 1 → 2; ${DEMO_HOSTS}/${DEMO_HOSTS} hosts verified`),
    );
  },
);

test(
  'npm run demo:outage fails at once, naming the port, when a demo SSH port is taken',
  { timeout: RUN_TIMEOUT_MS + 60_000 },
  async () => {
    const basePort = await freePortRange(DEMO_HOSTS);
    const squatter = await listen(basePort + 5);
    assert.ok(squatter, 'could not take the port');
    try {
      const run = await runDemoOutage(basePort);
      process.stdout.write(`# demo:outage with a taken port took ${(run.ms / 1000).toFixed(1)} s\n`);
      assert.notEqual(run.code, 0, run.output);
      assert.match(run.output, new RegExp(`\\[demo:outage\\].*${basePort + 5}`), run.output);
      assert.deepEqual(run.leftovers, [], `processes left running:\n${run.output}`);
      // Failing means failing: well before the waits for a running demo (10 min) time out.
      assert.ok(run.ms < 150_000, `took ${run.ms} ms`);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  },
);
