/** Every BullMQ queue. A queue groups jobs that share a worker pool and rate of work. */
export const QueueName = {
  /** Housekeeping that no outage depends on. */
  Maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
