import { type EpochMs, type PredictionSource, type ReadinessCheckCode } from '@nutfleet/power';

import { type PlanKind, type PlanMode, type PlanState } from '../plan-kinds';
import { type StepState } from '../step-state';
import { type FailureCause } from './failure-advice';

/** The plan row as the report reads it (instants in epoch ms). */
export interface ReportPlanInput {
  readonly id: string;
  readonly kind: PlanKind;
  readonly mode: PlanMode;
  readonly state: PlanState;
  readonly reason: string | null;
  readonly createdBy: string | null;
  readonly createdAt: EpochMs;
  readonly startedAt: EpochMs | null;
  readonly finishedAt: EpochMs | null;
  readonly cancelledAt: EpochMs | null;
  readonly cancelledBy: string | null;
  readonly predictedSeconds: number | null;
  readonly outageId: string | null;
}

/** One step as the report reads it: its recorded detail is read here, never trusted as typed. */
export interface ReportStepInput {
  readonly key: string;
  readonly hostId: string | null;
  /** The host's name now, when it still exists (else the one recorded in the detail). */
  readonly hostName: string | null;
  readonly action: string;
  readonly state: StepState;
  readonly attempts: number;
  readonly startedAt: EpochMs | null;
  readonly finishedAt: EpochMs | null;
  readonly deadlineAt: EpochMs | null;
  readonly error: string | null;
  readonly detail: unknown;
}

/** A power event linked to the plan or recorded during it. */
export interface ReportPowerEventInput {
  readonly type: string;
  readonly upsId: string | null;
  readonly upsName: string | null;
  readonly status: string | null;
  readonly previousStatus: string | null;
  readonly at: EpochMs;
}

/** A battery sample of a UPS the plan depended on (raw: sentinels included). */
export interface ReportUpsSampleInput {
  readonly upsId: string;
  readonly at: EpochMs;
  readonly charge: number | null;
  readonly runtimeSeconds: number | null;
}

export interface ReportUpsInput {
  readonly id: string;
  /** `name@server`. */
  readonly name: string;
}

export interface PlanReportInput {
  readonly plan: ReportPlanInput;
  readonly steps: readonly ReportStepInput[];
  readonly events: readonly ReportPowerEventInput[];
  readonly ups: readonly ReportUpsInput[];
  readonly samples: readonly ReportUpsSampleInput[];
  /** When the report is made: a plan still running is measured up to now. */
  readonly now: EpochMs;
}

export type HostOutcome = 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'unfinished';

export interface ReportStep {
  readonly key: string;
  readonly action: string;
  /** The step in words (`stop VM db01`, `wait for SSH`). */
  readonly what: string;
  readonly vmName: string | null;
  readonly state: StepState;
  readonly attempts: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly predictedSeconds: number | null;
  readonly actualSeconds: number | null;
  /** Where the predicted figure comes from, when the plan recorded it. */
  readonly predictionSource: PredictionSource | null;
  readonly error: string | null;
}

export interface ReportHost {
  readonly hostId: string | null;
  readonly hostName: string;
  readonly outcome: HostOutcome;
  /** Seconds from its first step's start to its last step's end, as predicted when the plan was made. */
  readonly predictedSeconds: number | null;
  /** The same span as it happened (null until it started). */
  readonly actualSeconds: number | null;
  /** actual − predicted: positive when slower than predicted. */
  readonly differenceSeconds: number | null;
  /** Restart plans: the host's budget from magic packet to verified ESXi. */
  readonly budgetSeconds: number | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly steps: readonly ReportStep[];
}

export interface ReportFailure {
  readonly hostName: string | null;
  readonly stepKey: string;
  readonly action: string;
  readonly what: string;
  readonly state: StepState;
  readonly at: string | null;
  readonly error: string;
  readonly cause: FailureCause;
  /** What to change so that the next outage goes well. */
  readonly fix: string;
  /** The readiness check that watches for this cause between outages. */
  readonly readinessCheck: ReadinessCheckCode | null;
}

export interface ReportFix {
  readonly cause: FailureCause;
  readonly fix: string;
  readonly readinessCheck: ReadinessCheckCode | null;
  /** Hosts (or UPSes) it applies to, sorted. */
  readonly targets: readonly string[];
}

export interface BatteryReading {
  readonly at: string;
  readonly chargePercent: number | null;
  readonly runtimeSeconds: number | null;
}

export interface ReportBattery {
  readonly upsId: string;
  readonly upsName: string;
  readonly start: BatteryReading | null;
  readonly end: BatteryReading | null;
  /** Percentage points of charge used between start and end (null when unknown at either end). */
  readonly chargeUsedPercent: number | null;
  readonly runtimeUsedSeconds: number | null;
  readonly lowestChargePercent: number | null;
  readonly samples: number;
}

export type TimelineEntryKind = 'plan' | 'host' | 'step' | 'power';

export interface TimelineEntry {
  readonly at: string;
  /** Seconds from the plan's start (or creation when it never started). */
  readonly offsetSeconds: number;
  readonly kind: TimelineEntryKind;
  readonly hostName: string | null;
  readonly text: string;
  /** True for failures and cancellations: what a reader looks for first. */
  readonly problem: boolean;
}

export interface PlanReport {
  readonly planId: string;
  readonly kind: PlanKind;
  readonly mode: PlanMode;
  readonly state: PlanState;
  readonly reason: string | null;
  readonly createdBy: string | null;
  readonly outageId: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly cancelledBy: string | null;
  /** False while the plan is still running: figures are then up to `generatedAt`. */
  readonly ended: boolean;
  readonly generatedAt: string;
  readonly predictedSeconds: number | null;
  readonly actualSeconds: number | null;
  readonly summary: {
    readonly hosts: number;
    readonly hostsSucceeded: number;
    readonly hostsFailed: number;
    readonly steps: number;
    readonly stepsFailed: number;
    readonly stepsCancelled: number;
  };
  readonly timeline: readonly TimelineEntry[];
  readonly hosts: readonly ReportHost[];
  readonly failures: readonly ReportFailure[];
  readonly fixes: readonly ReportFix[];
  readonly battery: readonly ReportBattery[];
}
