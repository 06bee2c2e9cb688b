import { type FailureCause } from '../report/failure-advice';
import { type DrillKindName } from './drill-eligibility';
import { type DurationVerdict } from './duration-comparison';

/** A plan step as the report reads it (a PlanStep row). */
export interface DrillStepRow {
  readonly key: string;
  readonly action: string;
  readonly hostId: string | null;
  readonly state: string;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly output: string | null;
  readonly error: string | null;
  readonly detail: unknown;
}

export interface DrillPlanRows {
  readonly id: string;
  readonly state: string;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly steps: readonly DrillStepRow[];
}

export interface DrillReportInput {
  readonly drill: {
    readonly id: string;
    readonly kind: DrillKindName;
    readonly groupName: string;
    readonly requestedBy: string;
    readonly state: string;
    readonly createdAt: Date;
    readonly finishedAt: Date;
    readonly error: string | null;
  };
  readonly hosts: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  readonly shutdown: DrillPlanRows | null;
  readonly restart: DrillPlanRows | null;
}

export interface DrillStepReport {
  readonly plan: 'shutdown' | 'restart';
  readonly key: string;
  readonly action: string;
  /** VM steps: the VM's name (or id). */
  readonly vm: string | null;
  readonly state: string;
  readonly predictedSeconds: number | null;
  /** The step's timeout where the plan predicts no duration (restart steps). */
  readonly budgetSeconds: number | null;
  readonly measuredSeconds: number | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly verdict: DurationVerdict;
  /** What went wrong (failed), why it did not run (skipped, cancelled), or null. */
  readonly problem: string | null;
}

/** Live drills: did Wake-on-LAN bring the host back to a verified ESXi? */
export interface WakeVerification {
  readonly verified: boolean;
  readonly packetSentAt: string | null;
  readonly verifiedAt: string | null;
  readonly secondsToVerified: number | null;
  readonly budgetSeconds: number | null;
  readonly why: string | null;
}

/** What went wrong in one step; a failed step also says what to fix (the plan reports' advice). */
export interface DrillFailure {
  readonly key: string;
  readonly why: string;
  readonly cause: FailureCause | null;
  readonly fix: string | null;
}

export interface DrillHostReport {
  readonly hostId: string;
  readonly hostName: string;
  readonly result: 'ok' | 'failed' | 'not-run';
  /** The host's shutdown steps together: first start to last end. */
  readonly shutdown: {
    readonly predictedSeconds: number | null;
    readonly measuredSeconds: number | null;
    readonly startedAt: string | null;
    readonly finishedAt: string | null;
    readonly verdict: DurationVerdict;
  };
  readonly steps: readonly DrillStepReport[];
  readonly failures: readonly DrillFailure[];
  readonly wake: WakeVerification | null;
}

export interface DrillReport {
  readonly drillId: string;
  readonly kind: DrillKindName;
  readonly group: string;
  readonly requestedBy: string;
  readonly state: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly error: string | null;
  readonly shutdownPlanId: string | null;
  readonly restartPlanId: string | null;
  /** Each plan's own report page (timeline, battery used), where the drill made one. */
  readonly planReports: { readonly shutdown: string | null; readonly restart: string | null };
  readonly summary: {
    readonly hosts: number;
    readonly ok: number;
    readonly failed: number;
    readonly notRun: number;
    /** Hosts whose shutdown (or its read-only part) took longer than predicted. */
    readonly slower: number;
    /** Live drills: hosts woken and verified. */
    readonly woken: number | null;
  };
  /** Failing hosts first, then by name. */
  readonly hosts: readonly DrillHostReport[];
}
