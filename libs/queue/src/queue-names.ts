/** Every BullMQ queue. A queue groups jobs that share a worker pool and rate of work. */
export const QueueName = {
  /** Housekeeping that no outage depends on. */
  Maintenance: 'maintenance',
  /**
   * Shutdown plan execution (advance + a job per few steps). Its own queue with its own, high
   * concurrency: during an outage nothing else may sit in front of these jobs.
   */
  Plans: 'plans',
  /**
   * Reading hosts over SSH (discovery). Its own queue, so a fleet-wide discovery of 1,000 hosts
   * never delays shutdown or restart work, and its per-worker concurrency bounds SSH sessions.
   */
  Inventory: 'inventory',
  /**
   * Outgoing mail and webhooks. Its own queue: a slow or failing channel retries here with
   * backoff and can never hold up plan or discovery work.
   */
  Notifications: 'notifications',
  /**
   * VIB rollouts (advance + one deploy job per host). Its own queue so deploying to 1,000 hosts
   * never sits in front of shutdown steps (plans), discovery or notifications.
   */
  Rollouts: 'rollouts',
  /**
   * Fleet readiness checks (one job per host per pass). Its own queue with its own small
   * concurrency: a pass over 1,000 hosts never sits in front of shutdown, discovery or rollout
   * work, and bounds the SSH sessions it opens.
   */
  Readiness: 'readiness',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
