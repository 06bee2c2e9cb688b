import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestRedisPrefix {
  /** Key prefix of this test's own (e.g. `nftest-1a2b3c4d`); pass it as REDIS_KEY_PREFIX. */
  prefix: string;
  url: string;
  /** Deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

/** A Redis key prefix of its own for one test file, on the shared Redis, removed afterwards. */
export function createTestRedisPrefix(url: string = TEST_REDIS_URL): TestRedisPrefix {
  const prefix = `nftest-${randomBytes(4).toString('hex')}`;
  return {
    prefix,
    url,
    cleanup: async () => {
      await deleteKeysStartingWith(url, prefix);
    },
  };
}

/**
 * Deletes every key starting with `start` and returns how many. With a test's queue prefix
 * followed by `:` it is what a Redis restarted empty looks like to that test's queues, and
 * nothing else: the Redis is shared with other suites, so never FLUSHALL.
 */
export async function deleteKeysStartingWith(url: string, start: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${start}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
