import { Redis } from 'ioredis';

/** Every value stored under the test's Redis prefix (job data, failedReason, stacktrace, logs, events). */
export async function redisContents(url: string, prefix: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') parts.push(key, JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') parts.push(key, (await redis.get(key)) ?? '');
        else if (type === 'list') parts.push(key, ...(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') parts.push(key, ...(await redis.zrange(key, 0, -1)));
        else if (type === 'set') parts.push(key, ...(await redis.smembers(key)));
        else if (type === 'stream') parts.push(key, JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

/** What Bull Board's API shows of every queue's latest, completed and failed jobs (failedReason, stacktrace, data). */
export async function queueBoardContents(
  base: string,
  queues: readonly string[],
  auth: Record<string, string>,
): Promise<string> {
  const parts: string[] = [];
  for (const queue of queues) {
    for (const status of ['latest', 'completed', 'failed']) {
      const res = await fetch(
        `${base}/admin/queues/api/queues?activeQueue=${queue}&status=${status}&page=1&jobsPerPage=100`,
        {
          headers: auth,
        },
      );
      if (res.status !== 200) throw new Error(`Bull Board answered ${res.status} for ${queue}/${status}`);
      parts.push(await res.text());
    }
  }
  return parts.join('\n');
}
