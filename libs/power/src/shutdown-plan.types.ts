import { type VmActionRung } from './vm-shutdown-order';
import { type EpochMs } from './time';
import { type UpsId } from './ups-observation';
import { type PredictionSource } from './prediction-source';

/**
 * How a standalone host is powered off. We use ESXi's plain `poweroff`, not maintenance mode +
 * `esxcli system shutdown poweroff`: our own VM steps have already stopped the VMs in order, and
 * `poweroff` needs no maintenance mode, still runs the autostop sequence as a safety net for any
 * VM that started after the inventory was taken, and leaves the host booting normally. Entering
 * maintenance mode on a standalone host blocks until every VM is off, and a host that powers off
 * in maintenance mode boots back into it, so its VMs never autostart and a restart wave fails.
 */
export const HOST_POWER_OFF_METHOD = 'esxi-poweroff' as const;

export type ShutdownStepKind = 'vm-stop' | 'host-power-off';

export interface ShutdownPlanStep {
  /** Deterministic within the plan (`host:<hostId>:vm:<vmId>:stop`, `host:<hostId>:power-off`). */
  readonly key: string;
  readonly kind: ShutdownStepKind;
  readonly stage: number;
  readonly hostId: string;
  readonly hostName: string;
  readonly vmId?: string;
  readonly vmName?: string;
  /** VM batch inside the host; absent for the host step. */
  readonly batch?: number;
  /** VM steps: the escalation ladder. Host step: one rung (`poweroff`) with the policy timeout. */
  readonly ladder: readonly VmActionRung[];
  /** Host power-off only. */
  readonly method?: typeof HOST_POWER_OFF_METHOD;
  /** Host power-off only: why the host's VMs are unknown, so the step re-reads them first. */
  readonly vmsUnknown?: string;
  /** Steps of the same host that must be finished (or past their deadline) first. */
  readonly dependsOn: readonly string[];
  /** Worst-case timeline, seconds from plan start: latest start and deadline. */
  readonly startOffsetSeconds: number;
  readonly deadlineOffsetSeconds: number;
  readonly deadlineAt: EpochMs;
  /** Predicted timeline (measured durations where known). */
  readonly predictedStartSeconds: number;
  readonly predictedEndSeconds: number;
  /** Where the predicted duration (end − start) comes from: a measurement, else the policy's worst case. */
  readonly predictionSource: PredictionSource;
  readonly why: string;
}

export interface ShutdownPlanStage {
  readonly stage: number;
  readonly hostIds: readonly string[];
  /** Worst case: a stage starts when the previous is done or past its deadline. */
  readonly startOffsetSeconds: number;
  readonly deadlineOffsetSeconds: number;
  readonly predictedStartSeconds: number;
  readonly predictedEndSeconds: number;
}

export interface HostRuntimeCheck {
  readonly hostId: string;
  readonly hostName: string;
  readonly predictedEndSeconds: number;
  readonly deadlineOffsetSeconds: number;
  readonly batteryRuntimeSeconds?: number;
  readonly limitingUpsId?: UpsId;
  /** Battery runtime minus predicted end minus safety margin; negative means it outlasts the battery. */
  readonly marginSeconds?: number;
  /** Whether the limiting UPS's runtime is its own figure or predicted from its observed discharge. */
  readonly runtimeSource?: 'ups' | 'discharge';
  /** The limiting UPS's own runtime figure, when plausible. */
  readonly reportedRuntimeSeconds?: number;
  /** The runtime its observed discharge predicts, when on battery long enough to tell. */
  readonly predictedRuntimeSeconds?: number;
}

/**
 * Shutdown previews: the plan outlasts the battery (predicted or worst case), no runtime known,
 * a UPS reports a sentinel or absurd charge/runtime (treated as unknown). Restart previews: the
 * UPS a wave would be woken onto shows FSD, LB, OB, or cannot be read.
 */
export const PLAN_WARNING_CODES = [
  'PLAN_OUTLASTS_BATTERY',
  'WORST_CASE_OUTLASTS_BATTERY',
  'RUNTIME_UNKNOWN',
  'BATTERY_READING_UNKNOWN',
  'WAKE_ONTO_FSD',
  'WAKE_ONTO_LOW_BATTERY',
  'WAKE_ONTO_BATTERY',
  'WAKE_ONTO_UNKNOWN_UPS',
] as const;

export type PlanWarningCode = (typeof PLAN_WARNING_CODES)[number];

/**
 * Why nutfleet could not protect a host now (`assessHostProtection`): shown by the shutdown
 * preview, the dry-run and the fleet summary. `PLAN_OUTLASTS_BATTERY` is both: the plan's battery
 * check names the host.
 */
export const HOST_PROTECTION_WARNING_CODES = [
  'UNTRUSTED_KEY',
  'KEY_MISMATCH',
  'NEVER_DISCOVERED',
  'UNREACHABLE',
  'NO_CREDENTIALS',
  'NO_POWER_FEED',
  'NO_FALLBACK_CLIENT',
  'NO_WOL_MAC',
  'VM_WITHOUT_TOOLS',
  'PLAN_OUTLASTS_BATTERY',
  'VMS_UNKNOWN',
] as const;

export type HostProtectionWarningCode = (typeof HOST_PROTECTION_WARNING_CODES)[number];

/** Every code a preview's `warnings` may carry: the plan's and the hosts' protection. */
export const PREVIEW_WARNING_CODES: readonly (PlanWarningCode | HostProtectionWarningCode)[] = [
  ...new Set([...PLAN_WARNING_CODES, ...HOST_PROTECTION_WARNING_CODES]),
];

export interface PlanWarning {
  readonly code: PlanWarningCode;
  readonly hostId?: string;
  readonly message: string;
  readonly values: Readonly<Record<string, number | string>>;
}

export interface ShutdownPlan {
  readonly key: string;
  readonly createdAt: EpochMs;
  readonly powerOffMethod: typeof HOST_POWER_OFF_METHOD;
  readonly stages: readonly ShutdownPlanStage[];
  /** Sorted by stage, host, batch, VM, host step last: the order an executor walks. */
  readonly steps: readonly ShutdownPlanStep[];
  readonly predictedDurationSeconds: number;
  readonly worstCaseDurationSeconds: number;
  /** Smallest battery runtime among the plan's hosts, when known. */
  readonly batteryRuntimeSeconds?: number;
  readonly pointOfNoReturnAt: EpochMs;
  readonly hostChecks: readonly HostRuntimeCheck[];
  readonly warnings: readonly PlanWarning[];
  /** Hosts left out, with the reason (already off...). */
  readonly skipped: ReadonlyArray<{ readonly hostId: string; readonly reason: string }>;
}
