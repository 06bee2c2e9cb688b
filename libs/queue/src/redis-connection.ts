import { type RedisOptions } from 'ioredis';

/**
 * Connection options for BullMQ. Workers block on Redis and must never give up a command
 * (maxRetriesPerRequest: null); producers in the HTTP process fail fast instead, so a request
 * made while Redis is down gets an error rather than hanging.
 */
export function bullConnectionOptions(redisUrl: string, role: 'worker' | 'producer'): RedisOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
}
