import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Queue } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { ALL_QUEUES, OwnedQueues, type QueueName } from '@nutfleet/queue';

/** Job states counted for metrics and shown by the queue inspector. */
export const COUNTED_JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'paused',
  'prioritized',
] as const;
export type CountedJobState = (typeof COUNTED_JOB_STATES)[number];

/**
 * Read access to every BullMQ queue (counts for /metrics, the queues for Bull Board). Its own
 * Queue objects, so inspection never shares a connection with the producers that plans use.
 */
@Injectable()
export class QueueInspector implements OnApplicationShutdown {
  public readonly queues: ReadonlyMap<QueueName, Queue>;
  private readonly owned: OwnedQueues;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.owned = OwnedQueues.open(config.redis, 'producer', config.redis.keyPrefix);
    this.queues = new Map(ALL_QUEUES.map((name) => [name, this.owned.queue(name)] as const));
  }

  /** Job counts per state for every queue. */
  public async counts(): Promise<Map<QueueName, Record<CountedJobState, number>>> {
    const result = new Map<QueueName, Record<CountedJobState, number>>();
    await Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const raw = await queue.getJobCounts(...COUNTED_JOB_STATES);
        const counts = {} as Record<CountedJobState, number>;
        for (const state of COUNTED_JOB_STATES) counts[state] = raw[state] ?? 0;
        result.set(name, counts);
      }),
    );
    return result;
  }

  public async onApplicationShutdown(): Promise<void> {
    await this.owned.close();
  }
}
