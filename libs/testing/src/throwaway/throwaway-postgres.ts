import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { Client } from 'pg';

import { freePort, waitFor } from './free-port';

const run = promisify(execFile);
const PG_BIN = process.env.PG_BIN ?? '/usr/local/bin';

/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl) on a free loopback port, for fault
 * tests that stop and restart the database. PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` system user.
 */
export class ThrowawayPostgres {
  private constructor(
    private readonly dir: string,
    public readonly port: number,
  ) {}

  public static async start(): Promise<ThrowawayPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'nutfleet-pg-'));
    const pg = new ThrowawayPostgres(dir, await freePort());
    if (userInfo().uid === 0) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const uid = Number(stdout.trim());
      const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
      chownSync(dir, uid, gid);
    }
    await pg.asOwner('initdb', ['-D', pg.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await pg.resume();
    return pg;
  }

  public get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  public async resume(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off`;
    await this.asOwner('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']);
    await waitFor(`postgres on port ${this.port}`, async () => {
      const client = new Client({ connectionString: this.url });
      await client.connect();
      await client.end();
      return true;
    });
  }

  public async stop(): Promise<void> {
    await this.asOwner('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  }

  public async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private async asOwner(tool: string, args: string[]): Promise<void> {
    const binary = join(PG_BIN, tool);
    if (userInfo().uid === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
    else await run(binary, args);
  }
}
