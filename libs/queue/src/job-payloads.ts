import { type JobName } from './job-names';

/**
 * Job data, per job. Only ids and plain parameters: job data sits in Redis in clear text, so a
 * secret never goes here; handlers load credentials from PostgreSQL and decrypt them there.
 */
export interface JobPayloads {
  [JobName.PrunePowerEvents]: { retentionDays: number };
  [JobName.PruneUpsSamples]: { retentionDays: number };
  /** Job id: jobId('plan', planId, 'advance'). */
  [JobName.PlanAdvance]: { planId: string };
  /**
   * Job id: planStepsJobId(planId, ...), also written in each step's row (`jobId`) when it is
   * queued, so a lost job is re-added under the same id; the step rows hold everything else.
   */
  [JobName.PlanSteps]: {
    planId: string;
    /** `lead`: its host's first shutdown step of the advance that queued it (sent before the others). */
    steps: Array<{ stepId: string; stepKey: string; lead?: true }>;
  };
  /** Job id: jobId('discover', runId, hostId); progress is read from the DiscoveryRun. */
  [JobName.DiscoverHost]: { runId: string; hostId: string };
  /** Job id: jobId('notify', deliveryId); the delivery row holds the message, the channel its secrets. */
  [JobName.DeliverNotification]: { deliveryId: string };
  /** Job id: rolloutAdvanceJobId(planId). */
  [JobName.RolloutAdvance]: { planId: string };
  /** Job id: deployHostJobId(planId, hostId); the PlanStep row holds the rest (never the NUT password). */
  [JobName.DeployHost]: { planId: string; stepId: string; hostId: string };
  /** Job id: jobId('readiness', hostId, passKey). What the orchestrator expects of the host. */
  [JobName.CheckHostReadiness]: HostReadinessExpectations;
}

/**
 * What a host's SSH readiness checks compare with, computed by the orchestrator (which owns the
 * desired configuration and the plans). Never a secret: NutPassword is only "must be set".
 */
export interface HostReadinessExpectations {
  hostId: string;
  /** Desired `UserVars.Nut*` without NutPassword; null when the desired config cannot be built. */
  desiredUserVars: Record<string, string | number> | null;
  /** Why the desired config could not be built (its problems), when `desiredUserVars` is null. */
  desiredProblems?: string[];
  /** Whether NutPassword must be set on the host. */
  passwordExpected: boolean;
  /** `ups@server[:port]` the host's own client watches: each is read with `/opt/nut/bin/upsc` on the host. */
  upsTargets: string[];
  /** Names of the VMs the shutdown plan would ask for a guest shutdown. */
  guestShutdownVms: string[];
  /** Whether the restart plan powers VMs on itself (else ESXi autostart must). */
  planPowersOnVms: boolean;
}

export type JobPayload<N extends JobName> = JobPayloads[N];
