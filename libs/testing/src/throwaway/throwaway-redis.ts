import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';

import { freePort, waitFor } from './free-port';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A Redis server of a test's own on a free loopback port, for fault tests that stop and start
 * it; the shared Redis is never touched.
 */
export class ThrowawayRedis {
  private child?: ChildProcess;

  private constructor(public readonly port: number) {}

  public static async start(): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort());
    await redis.resume();
    return redis;
  }

  public get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  public async resume(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(`redis on port ${this.port}`, () => accepts(this.port));
  }

  public async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
