import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface DemoState {
  readonly pid: number;
  /** Loopback HTTP port of the demo control (UPS status changes for `npm run demo:outage`). */
  readonly controlPort: number;
  /** Whether a real upsd + dummy-ups serves the demo UPSes. */
  readonly nut: boolean;
}

/**
 * Where a running demo says how to reach it (its control port); removed when it stops. One file
 * per installation (its database): with one shared file, `npm run demo:outage` would drive the
 * demo of another installation on the machine (another checkout's, or a parallel test run's)
 * while reading its own database, and two demos would overwrite each other's state.
 */
export function demoStateFile(databaseUrl: string): string {
  const installation = createHash('sha256').update(databaseUrl).digest('hex').slice(0, 16);
  return join(process.cwd(), 'data', `demo-state-${installation}.json`);
}

export function writeDemoState(databaseUrl: string, state: DemoState): void {
  const file = demoStateFile(databaseUrl);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state));
}

export function readDemoState(databaseUrl: string): DemoState | undefined {
  const file = demoStateFile(databaseUrl);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoState;
  } catch {
    return undefined;
  }
}

export function removeDemoState(databaseUrl: string, pid: number): void {
  if (readDemoState(databaseUrl)?.pid === pid) rmSync(demoStateFile(databaseUrl), { force: true });
}
