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
  /** Job id: planStepJobId(planId, stepKey); the step row holds everything else. */
  [JobName.PlanStep]: { planId: string; stepId: string; stepKey: string };
  /** Job id: jobId('discover', runId, hostId); progress is read from the DiscoveryRun. */
  [JobName.DiscoverHost]: { runId: string; hostId: string };
  /** Job id: jobId('notify', deliveryId); the delivery row holds the message, the channel its secrets. */
  [JobName.DeliverNotification]: { deliveryId: string };
  /** Job id: rolloutAdvanceJobId(planId). */
  [JobName.RolloutAdvance]: { planId: string };
  /** Job id: deployHostJobId(planId, hostId); the PlanStep row holds the rest (never the NUT password). */
  [JobName.DeployHost]: { planId: string; stepId: string; hostId: string };
}

export type JobPayload<N extends JobName> = JobPayloads[N];
