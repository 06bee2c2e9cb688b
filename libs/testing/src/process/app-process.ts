import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import { REPO_ROOT } from '../database/migrations';

export interface AppProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once a line of output matches. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a compiled entry point (e.g. dist/apps/worker/src/main.js) with only the given env. */
/** `nodeArgs`: options for node itself, before the entry (e.g. `--cpu-prof`, not allowed in NODE_OPTIONS). */
export function startAppProcess(
  entry: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): AppProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    waitForOutput: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        if (pattern.test(text)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; output:\n${text}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          if (!pattern.test(text))
            reject(new Error(`process exited before output matched ${pattern}; output:\n${text}`));
        });
      }),
  };
}
