import { type LastShutdownMeasurement, type RestartGatePolicy, type RestartWave } from '@nutfleet/power';

/** `Plan.detail` of a RESTART plan (no secrets). */
export interface RestartPlanDetail {
  readonly kind: 'restart';
  readonly hostIds: string[];
  readonly upsIds: string[];
  readonly waves: RestartWave[];
  readonly hostTimeoutSeconds: number;
  readonly gatePolicy: RestartGatePolicy;
  readonly lastShutdown: LastShutdownMeasurement | null;
  readonly skipped: Array<{ hostId: string; reason: string }>;
  readonly includeHostsDownBeforeOutage: boolean;
  /** The shutdown plan this restart follows, when there was one. */
  readonly shutdownPlanId: string | null;
  /** Set when power failed again during the restart and it was paused (cancelled) for the shutdown logic. */
  readonly pausedByPowerAt?: string;
}

export const GATE_ACTION = 'restart-gate';

/** Key of the step standing for a wave's gate: the orchestrator completes it when the gate opens. */
export function gateKey(wave: number): string {
  return `wave:${wave}:gate`;
}

export function readRestartDetail(value: unknown): RestartPlanDetail | undefined {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'restart'
    ? (value as RestartPlanDetail)
    : undefined;
}
