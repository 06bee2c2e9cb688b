import { type RedisOptions } from 'ioredis';

/** Where Redis is: a URL, or Sentinels that name the master (the URL then gives credentials and db). */
export interface RedisTarget {
  readonly url: string;
  readonly sentinels?: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  readonly sentinelMaster?: string;
  readonly sentinelPassword?: string;
}

/**
 * Connection options for BullMQ and nutfleet's own Redis clients. Workers block on Redis and must
 * never give up a command (maxRetriesPerRequest: null); producers in the HTTP process fail fast
 * instead, so a request made while Redis is down gets an error rather than hanging. With
 * Sentinels, ioredis asks them for the master and follows a failover by itself.
 */
export function bullConnectionOptions(target: RedisTarget | string, role: 'worker' | 'producer'): RedisOptions {
  const {
    url: redisUrl,
    sentinels,
    sentinelMaster,
    sentinelPassword,
  } = typeof target === 'string' ? { url: target } : target;
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const tls = url.protocol === 'rediss:';
  const where: RedisOptions =
    sentinels !== undefined && sentinels.length > 0
      ? {
          sentinels: sentinels.map((s) => ({ host: s.host, port: s.port })),
          name: sentinelMaster ?? 'mymaster',
          ...(sentinelPassword !== undefined ? { sentinelPassword } : {}),
          ...(tls ? { enableTLSForSentinelMode: true, tls: {} } : {}),
          sentinelRetryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
          // A demoted master answers READONLY until the connection moves: reconnect (asking the
          // Sentinels again) and resend the command.
          reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
        }
      : {
          host: url.hostname,
          port: url.port ? Number(url.port) : 6379,
          ...(tls ? { tls: { servername: url.hostname } } : {}),
        };
  return {
    ...where,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
}
