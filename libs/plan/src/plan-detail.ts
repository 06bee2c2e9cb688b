import {
  type HostProtectionWarning,
  type LastShutdownMeasurement,
  type RestartGatePolicy,
  type RestartWave,
  type ShutdownPlan,
} from '@nutfleet/power';

import { asObject, PlanDetailError } from './detail-reader';

/** `Plan.detail` of a SHUTDOWN plan: the built plan beyond the columns (no secrets). */
export interface ShutdownPlanDetail {
  readonly kind: 'shutdown';
  readonly hostIds: string[];
  readonly upsIds: string[];
  readonly powerBackConfirmSeconds: number;
  readonly pointOfNoReturnSeconds: number;
  readonly built: Omit<ShutdownPlan, 'steps'>;
  /** Dry-runs: the hosts nutfleet could not protect when the plan was made, and why. */
  readonly protectionWarnings?: HostProtectionWarning[];
}

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

/** The few keys of a shutdown plan's detail the planners read at every evaluation. */
export type ShutdownPlanDetailSummary = Partial<
  Pick<ShutdownPlanDetail, 'upsIds' | 'pointOfNoReturnSeconds' | 'powerBackConfirmSeconds'>
>;

export function readRestartPlanDetail(value: unknown): RestartPlanDetail {
  const o = asObject(value, 'restart plan detail');
  if (o.kind !== 'restart') throw new PlanDetailError('restart plan detail', 'kind', 'is not "restart"');
  return o as unknown as RestartPlanDetail;
}

/** Undefined when the plan is not a restart plan (its detail is another kind's). */
export function restartPlanDetailOf(value: unknown): RestartPlanDetail | undefined {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'restart'
    ? readRestartPlanDetail(value)
    : undefined;
}

export function readShutdownPlanDetail(value: unknown): ShutdownPlanDetail {
  const o = asObject(value, 'shutdown plan detail');
  // Plans written before the detail had a kind hold the same keys.
  if (o.kind !== undefined && o.kind !== 'shutdown')
    throw new PlanDetailError('shutdown plan detail', 'kind', 'is not "shutdown"');
  return { ...(o as unknown as ShutdownPlanDetail), kind: 'shutdown' };
}
