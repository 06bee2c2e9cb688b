/** Every BullMQ queue. A queue groups jobs that share a worker pool and rate of work. */
export const QueueName = {
  /** Housekeeping that no outage depends on. */
  Maintenance: 'maintenance',
  /**
   * Shutdown plan execution (advance + one job per step). Its own queue with its own, high
   * concurrency: during an outage nothing else may sit in front of these jobs.
   */
  Plans: 'plans',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
