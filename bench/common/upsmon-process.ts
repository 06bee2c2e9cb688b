/**
 * Stock NUT upsmon for the benches' baselines: run in the foreground in a directory of its own,
 * with a NOTIFYCMD that writes a timestamp (ns precision) before anything else.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const UPSMON = existsSync('/lib/nut/upsmon') ? '/lib/nut/upsmon' : '/sbin/upsmon';

export interface UpsmonNotification {
  /** Epoch ms. */
  readonly at: number;
  /** NOTIFYTYPE: ONBATT, LOWBATT, FSD, SHUTDOWN… */
  readonly type: string;
  /** UPSNAME: `name@host:port`. */
  readonly ups: string;
}

export class UpsmonProcess {
  private child: ChildProcess | undefined;
  private collected = '';
  private readonly notifyLog: string;

  public constructor(private readonly dir: string) {
    this.notifyLog = join(dir, 'notify.log');
  }

  /**
   * Starts upsmon with `conf` (MONITOR, SHUTDOWNCMD, NOTIFYFLAG, timings…); the NOTIFYCMD and the
   * POWERDOWNFLAG inside its directory are added here.
   */
  public start(conf: readonly string[]): void {
    const notify = join(this.dir, 'notify.sh');
    writeFileSync(notify, `#!/bin/sh\necho "$(date +%s.%N) $NOTIFYTYPE $UPSNAME" >> ${this.notifyLog}\n`);
    chmodSync(notify, 0o755);
    writeFileSync(this.notifyLog, '');
    const lines = [...conf, `NOTIFYCMD ${notify}`, `POWERDOWNFLAG ${join(this.dir, 'killpower')}`, ''];
    writeFileSync(join(this.dir, 'upsmon.conf'), lines.join('\n'), { mode: 0o600 });
    // -F foreground, -p one privileged process (no child switching to user nut).
    this.child = spawn(UPSMON, ['-F', '-p'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        NUT_CONFPATH: this.dir,
        NUT_STATEPATH: this.dir,
        NUT_ALTPIDPATH: this.dir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer): void => {
      this.collected = (this.collected + chunk.toString()).slice(-8000);
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
  }

  public get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last 8,000 characters upsmon printed. */
  public get output(): string {
    return this.collected;
  }

  /** Every notification so far, in order. */
  public notifications(): UpsmonNotification[] {
    const result: UpsmonNotification[] = [];
    for (const line of readFileSync(this.notifyLog, 'utf8').split('\n')) {
      const [stamp, type, ups] = line.trim().split(/\s+/);
      if (stamp === undefined || type === undefined) continue;
      result.push({ at: Math.round(Number(stamp) * 1000), type, ups: ups ?? '' });
    }
    return result;
  }

  public async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
