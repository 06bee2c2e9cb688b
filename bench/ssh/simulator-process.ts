/**
 * The simulated fleet in its own Node process (the sim CLI), so that the bench process's
 * memory is the client's alone.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Readable } from 'node:stream';

export interface SimulatedHostEntry {
  readonly id: string;
  readonly address: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly fingerprint: string;
}

// Compiled layout: dist/bench/ssh/ → dist/libs/testing/src/esxi-sim/sim.cli.js
const SIM_CLI = join(__dirname, '..', '..', 'libs', 'testing', 'src', 'esxi-sim', 'sim.cli.js');

export class SimulatorProcess {
  private constructor(
    private readonly child: ChildProcessByStdio<null, Readable, null>,
    readonly hosts: readonly SimulatedHostEntry[],
  ) {}

  /** `extraArgs`: more sim CLI options (e.g. `--command-log FILE`). */
  static async start(
    hosts: number,
    authorizedKeysFile: string,
    timeoutMs = 120_000,
    extraArgs: readonly string[] = [],
  ): Promise<SimulatorProcess> {
    const child = spawn(
      process.execPath,
      [SIM_CLI, '--hosts', String(hosts), '--authorized-keys', authorizedKeysFile, '--seed', 'bench-ssh', ...extraArgs],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    try {
      const parsed = await new Promise<{ hosts: SimulatedHostEntry[] }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`simulator not ready after ${timeoutMs} ms`)), timeoutMs);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          try {
            // The CLI prints one JSON document once every host listens.
            const doc = JSON.parse(out) as { hosts: SimulatedHostEntry[] };
            clearTimeout(timer);
            resolve(doc);
          } catch {
            // Not complete yet.
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`simulator exited early (code ${String(code)})`));
        });
      });
      return new SimulatorProcess(child, parsed.hosts);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Current and peak resident memory of the simulator process, in bytes (Linux /proc). */
  memory(): { rss: number; peak: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
      return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
