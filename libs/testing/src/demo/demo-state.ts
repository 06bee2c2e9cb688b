import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a running demo says how to reach it (its control port); removed when it stops. */
export const DEMO_STATE_FILE = join(process.cwd(), 'data', 'demo-state.json');

export interface DemoState {
  readonly pid: number;
  /** Loopback HTTP port of the demo control (UPS status changes for `npm run demo:outage`). */
  readonly controlPort: number;
  /** Whether a real upsd + dummy-ups serves the demo UPSes. */
  readonly nut: boolean;
}

export function writeDemoState(state: DemoState): void {
  mkdirSync(dirname(DEMO_STATE_FILE), { recursive: true });
  writeFileSync(DEMO_STATE_FILE, JSON.stringify(state));
}

export function readDemoState(): DemoState | undefined {
  if (!existsSync(DEMO_STATE_FILE)) return undefined;
  try {
    return JSON.parse(readFileSync(DEMO_STATE_FILE, 'utf8')) as DemoState;
  } catch {
    return undefined;
  }
}

export function removeDemoState(pid: number): void {
  if (readDemoState()?.pid === pid) rmSync(DEMO_STATE_FILE, { force: true });
}
