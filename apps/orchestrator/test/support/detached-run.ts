import { spawn } from 'node:child_process';

export interface DetachedRun {
  readonly code: number | null;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
}

/**
 * Runs a command as a user would from a shell, in a process group of its own, so that a run that
 * outlives `timeoutMs` is stopped whole (with everything it started in that group).
 */
export function runDetached(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; onStart?: (pid: number) => void },
): Promise<DetachedRun> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  options.onStart?.(child.pid ?? -1);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      output += `\n[test] no exit after ${options.timeoutMs / 1000} s: killing it\n`;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
