/**
 * A bare ssh2 client for the simulator's tests (the real client lives in libs/esxi; these
 * tests must not depend on it).
 */
import { connect as tcpConnect } from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';
import type { SimulatedHost } from '../../src/esxi-sim';

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number | undefined;
}

export class TestSsh {
  private constructor(readonly client: Client) {}

  static connect(host: SimulatedHost, overrides: Partial<ConnectConfig> = {}): Promise<TestSsh> {
    const client = new Client();
    // ssh2 leaves Nagle on; with it every exec round trip costs ~40-90 ms of delayed ACKs.
    const sock = tcpConnect(host.port, host.address);
    sock.setNoDelay(true);
    return new Promise((resolve, reject) => {
      client
        .once('ready', () => resolve(new TestSsh(client)))
        // Keep listening: ssh2 may report a reset after an auth failure has already rejected.
        .on('error', reject)
        .connect({ sock, username: host.username, password: host.password, readyTimeout: 5000, ...overrides });
    });
  }

  exec(command: string): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(err);
        let stdout = '';
        let stderr = '';
        let code: number | undefined;
        stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        stream.on('exit', (c: number | null) => (code = c ?? undefined));
        stream.on('close', () => resolve({ stdout, stderr, code }));
      });
    });
  }

  upload(path: string, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) return reject(err);
        sftp.writeFile(path, data, (e) => {
          sftp.end();
          if (e) reject(e);
          else resolve();
        });
      });
    });
  }

  end(): void {
    this.client.end();
  }
}

/** POSIX single-quote quoting, the way a careful client builds its command lines. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./=:@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

const pool = new Map<SimulatedHost, Promise<TestSsh>>();

/** Runs one command over a connection kept per host (reconnecting after the host closed it). */
export async function runOn(host: SimulatedHost, command: string): Promise<ExecResult> {
  let pending = pool.get(host);
  if (!pending) {
    pending = TestSsh.connect(host);
    pool.set(host, pending);
    pending.then(
      (ssh) => ssh.client.once('close', () => pool.get(host) === pending && pool.delete(host)),
      () => pool.delete(host),
    );
  }
  return (await pending).exec(command);
}

export async function closeConnections(): Promise<void> {
  const all = [...pool.values()];
  pool.clear();
  for (const p of all) (await p.catch(() => undefined))?.end();
}

export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
