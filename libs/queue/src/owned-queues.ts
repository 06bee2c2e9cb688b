import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { type QueueName } from './queue-names';
import { bullConnectionOptions, type RedisTarget } from './redis-connection';

/** How long closing may wait for Redis before the connection is simply dropped. */
const CLOSE_WAIT_MS = 2000;

/**
 * BullMQ queues over one Redis connection that nutfleet owns. BullMQ's own close() and
 * disconnect() first wait for their connection to become ready, so with Redis down they never
 * return and the client keeps reconnecting after the application meant to stop; owning the
 * connection lets close() drop it whatever the state of Redis.
 */
export class OwnedQueues {
  private readonly opened: Queue[] = [];

  private constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  /** `worker`: commands wait for Redis; `producer`: they fail fast (see bullConnectionOptions). */
  public static open(redis: RedisTarget, role: 'worker' | 'producer', prefix: string): OwnedQueues {
    const client = new Redis(bullConnectionOptions(redis, role));
    // Background reconnection errors surface on the calls that need Redis, not as crashes.
    client.on('error', () => undefined);
    return new OwnedQueues(client, prefix);
  }

  public queue(name: QueueName): Queue {
    const queue = new Queue(name, { connection: this.client, prefix: this.prefix });
    queue.on('error', () => undefined);
    this.opened.push(queue);
    return queue;
  }

  public async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.opened.map((q) => q.close().catch(() => undefined))),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (this.client.status === 'ready') await this.client.quit().catch(() => undefined);
    this.client.disconnect();
  }
}
