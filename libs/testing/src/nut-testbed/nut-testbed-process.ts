/**
 * Child processes of the test beds. Every process and temp dir is tracked in one registry that
 * is swept on process exit (and on SIGINT/SIGTERM), so a failing or interrupted test never
 * leaves a upsd or dummy-ups behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const liveProcesses = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let sweeperInstalled = false;

function sweep(): void {
  for (const child of liveProcesses) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveProcesses.clear();
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

function installSweeper(): void {
  if (sweeperInstalled) return;
  sweeperInstalled = true;
  process.once('exit', sweep);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      sweep();
      // Re-raise with the default handler so the process still dies of the signal.
      process.kill(process.pid, signal);
    });
  }
}

/** Tracks a temp dir so it is removed even if the test never calls stop(). */
export function trackTempDir(dir: string): void {
  installSweeper();
  liveDirs.add(dir);
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const OUTPUT_LIMIT = 8192;

/** A child process whose last output is kept for error messages. */
export class ManagedProcess {
  readonly exited: Promise<ProcessExit>;
  private outputTail = '';
  private exitInfo: ProcessExit | undefined;
  private readonly child: ChildProcess;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ) {
    installSweeper();
    this.child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    liveProcesses.add(this.child);
    const collect = (chunk: Buffer): void => {
      this.outputTail = (this.outputTail + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    this.child.stdout?.on('data', collect);
    this.child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        collect(Buffer.from(`spawn error: ${error.message}\n`));
        liveProcesses.delete(this.child);
        this.exitInfo = { code: -1, signal: null };
        resolve(this.exitInfo);
      });
      this.child.once('exit', (code, signal) => {
        liveProcesses.delete(this.child);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last few KB of stdout+stderr. */
  get output(): string {
    return this.outputTail;
  }

  /** Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs`. */
  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<ProcessExit> {
    if (this.exitInfo !== undefined) return this.exitInfo;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, escalate]);
    clearTimeout(timer);
    return this.exited;
  }
}
