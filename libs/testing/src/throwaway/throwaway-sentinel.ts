import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { freePort, waitFor } from './free-port';

const MASTER_NAME = 'mymaster';

/**
 * A Redis master, its replica and one Sentinel (quorum 1) of a test's own, on free loopback
 * ports, for tests of Sentinel failover. The shared Redis is never touched. `redis-server
 * --sentinel` is Debian's redis-sentinel.
 */
export class ThrowawaySentinelGroup {
  private readonly children: ChildProcess[] = [];
  /** The redis-server of each data port (master and replica), for killing the master. */
  private readonly servers = new Map<number, ChildProcess>();

  private constructor(
    private readonly dir: string,
    public readonly ports: { readonly master: number; readonly replica: number; readonly sentinel: number },
  ) {}

  public static async start(): Promise<ThrowawaySentinelGroup> {
    const dir = mkdtempSync(join(tmpdir(), 'nutfleet-sentinel-'));
    const ports = { master: await freePort(), replica: await freePort(), sentinel: await freePort() };
    const group = new ThrowawaySentinelGroup(dir, ports);
    const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    group.servers.set(ports.master, group.spawn(['--port', String(ports.master), ...common]));
    group.servers.set(
      ports.replica,
      group.spawn(['--port', String(ports.replica), ...common, '--replicaof', '127.0.0.1', String(ports.master)]),
    );
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${ports.sentinel}`,
        'bind 127.0.0.1',
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${ports.master} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        '',
      ].join('\n'),
    );
    group.spawn([conf, '--sentinel']);
    await waitFor(
      'the replica in sync and the Sentinel aware of it',
      async () => (await group.sentinel(['SENTINEL', 'REPLICAS', MASTER_NAME]).catch(() => [])).length === 1,
      20_000,
      200,
    );
    return group;
  }

  /** The value for REDIS_SENTINELS. */
  public get sentinels(): string {
    return `127.0.0.1:${this.ports.sentinel}`;
  }

  public get masterName(): string {
    return MASTER_NAME;
  }

  /** The port of the current master, as the Sentinel says. */
  public async masterPort(): Promise<number> {
    const [, port] = (await this.sentinel(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME])) as string[];
    return Number(port);
  }

  /** Asks the Sentinel to fail over, and waits until the replica is the master. */
  public async failover(): Promise<number> {
    const before = await this.masterPort();
    await this.sentinel(['SENTINEL', 'FAILOVER', MASTER_NAME]);
    return this.promotedAfter(before);
  }

  /**
   * The hard failure: kill -9 of the current master's redis-server (what it had not yet
   * replicated is lost, as in a crash); waits until the Sentinel has promoted the replica.
   */
  public async killMaster(): Promise<number> {
    const before = await this.masterPort();
    this.servers.get(before)?.kill('SIGKILL');
    return this.promotedAfter(before);
  }

  private async promotedAfter(before: number): Promise<number> {
    let after = before;
    await waitFor(
      'the Sentinel to promote the replica',
      async () => {
        after = await this.masterPort();
        return after !== before && (await role(after)) === 'master';
      },
      30_000,
      200,
    );
    return after;
  }

  public async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(args: string[]): ChildProcess {
    const child = spawn('redis-server', args, { stdio: 'ignore', cwd: this.dir });
    this.children.push(child);
    return child;
  }

  private async sentinel(command: string[]): Promise<unknown[]> {
    const client = new Redis({
      host: '127.0.0.1',
      port: this.ports.sentinel,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const [name, ...args] = command;
      return (await client.call(name ?? '', ...args)) as unknown[];
    } finally {
      client.disconnect();
    }
  }
}

async function role(port: number): Promise<string> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [name] = (await client.call('ROLE')) as [string];
    return name;
  } finally {
    client.disconnect();
  }
}
