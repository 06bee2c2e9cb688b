import { QueueName } from './queue-names';

/**
 * Every job the worker runs. The worker refuses to start while any of these has no handler, so
 * a job added here cannot be enqueued into a queue nobody serves.
 */
export const JobName = {
  PrunePowerEvents: 'maintenance.prune-power-events',
  /** Deletes UPS samples past their retention (the charts' history stays bounded). */
  PruneUpsSamples: 'maintenance.prune-ups-samples',
  /** Selects a plan's runnable steps (PostgreSQL) and enqueues them; finishes the plan. */
  PlanAdvance: 'plan.advance',
  /**
   * Runs a few plan steps side by side (VM stop ladders, host power-offs, their dry-run reads),
   * each claimed, retried and recorded on its own: one job carries up to PLAN_STEPS_PER_JOB.
   */
  PlanSteps: 'plan.steps',
  /** Reads one host's facts over SSH (version, NICs, VMs, autostart, VIB, UserVars...). */
  DiscoverHost: 'inventory.discover-host',
  /** Sends one NotificationDelivery (mail or webhook) and records the outcome on its row. */
  DeliverNotification: 'notification.deliver',
  /** Queues a rollout's next wave (PostgreSQL decides), stops it past its failure ratio, finishes it. */
  RolloutAdvance: 'rollout.advance',
  /** Installs / configures / removes NutClient on one host (HostDeployer, journal in PostgreSQL). */
  DeployHost: 'rollout.deploy-host',
  /** Runs one host's SSH readiness checks over its warm session and stores the results. */
  CheckHostReadiness: 'readiness.check-host',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const ALL_JOBS: readonly JobName[] = Object.values(JobName);

/** The queue each job goes to. */
export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.PrunePowerEvents]: QueueName.Maintenance,
  [JobName.PruneUpsSamples]: QueueName.Maintenance,
  [JobName.PlanAdvance]: QueueName.Plans,
  [JobName.PlanSteps]: QueueName.Plans,
  [JobName.DiscoverHost]: QueueName.Inventory,
  [JobName.DeliverNotification]: QueueName.Notifications,
  [JobName.RolloutAdvance]: QueueName.Rollouts,
  [JobName.DeployHost]: QueueName.Rollouts,
  [JobName.CheckHostReadiness]: QueueName.Readiness,
};
