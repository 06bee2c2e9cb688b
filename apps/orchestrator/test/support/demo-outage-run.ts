import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

import { createTestRedisPrefix, databaseUrl, dropDatabase, freePort, REPO_ROOT } from '@nutfleet/testing';

import { runDetached } from './detached-run';

/** A process seen under the run, by its start time too: a pid reused later is another process. */
export interface Seen {
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

export function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** 12 consecutive free loopback ports below the ephemeral range (where freePort() picks). */
export async function freePortRange(count: number): Promise<number> {
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

export interface DemoOutageRun {
  readonly code: number | null;
  readonly output: string;
  readonly ms: number;
  readonly leftovers: Seen[];
}

export interface DemoOutageOptions {
  /** The checkout to run it in (the repository by default). */
  readonly cwd?: string;
  /** First of the 12 demo SSH ports (see freePortRange). */
  readonly basePort: number;
  /** false: no NUTFLEET_SECRET_KEY in the environment, as on a newcomer's machine. */
  readonly secretKeyInEnvironment?: boolean;
  readonly timeoutMs: number;
  /** Receives what must run once the test is over (dropping its database and Redis keys). */
  readonly onCleanup: (cleanup: () => Promise<void>) => void;
}

/**
 * `npm run demo:outage`, as a user runs it, with an installation of its own: its own database,
 * Redis prefix, API port and demo SSH ports, so that it can run beside quick-start.e2e.spec.ts
 * (whose `npm start` runs the demo on the default 22001-22012) and beside a developer's own demo.
 */
export async function runDemoOutage(options: DemoOutageOptions): Promise<DemoOutageRun> {
  const { basePort, timeoutMs } = options;
  const dbName = `nutfleet_test_demo_outage_${randomBytes(4).toString('hex')}`;
  const redis = createTestRedisPrefix();
  options.onCleanup(async () => {
    await dropDatabase(dbName);
    await redis.cleanup();
  });
  const started = Date.now();
  let tracked: ReturnType<typeof trackDescendants> | undefined;
  const { code, output } = await runDetached('npm', ['run', 'demo:outage'], {
    cwd: options.cwd ?? REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      DATABASE_URL: databaseUrl(dbName),
      REDIS_KEY_PREFIX: redis.prefix,
      ...(options.secretKeyInEnvironment === false ? {} : { NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex') }),
      HTTP_PORT: String(await freePort()),
      NUTFLEET_DEMO_SSH_BASE_PORT: String(basePort),
      LOG_FORMAT: 'json',
    },
    timeoutMs,
    onStart: (pid) => (tracked = trackDescendants(pid)),
  });
  const ms = Date.now() - started;
  tracked?.stop();
  // What demo:outage started stops on its own before it exits; allow the kernel a moment to reap.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const leftovers = tracked ? stillRunning(tracked.seen) : [];
  for (const p of leftovers) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return { code, output, ms, leftovers };
}
