import { Queue } from 'bullmq';

import { type AppConfig } from '@nutfleet/config';
import { bullConnectionOptions, type QueueName } from '@nutfleet/queue';

/**
 * A producer on one queue for the worker's own enqueues (plan steps, deploys, re-added discovery
 * jobs), so that work moves on while the orchestrator is down. Failures surface on the calls;
 * the connection's background errors (Redis restarting) must not crash the worker.
 */
export function openWorkerQueue(config: AppConfig, name: QueueName): Queue {
  const queue = new Queue(name, {
    connection: bullConnectionOptions(config.redis.url, 'worker'),
    prefix: config.redis.keyPrefix,
  });
  queue.on('error', () => undefined);
  return queue;
}
