import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { bullConnectionOptions } from '@nutfleet/queue';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Closes the shared client last, when the application stops. */
@Injectable()
class RedisCloser implements OnApplicationShutdown {
  public constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  public onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/**
 * One fail-fast Redis client for the HTTP process (readiness, leases). It reconnects forever in
 * the background, so Redis coming back needs no restart of nutfleet.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<Redis> => {
        const logger = new Logger('Redis');
        const client = new Redis({ ...bullConnectionOptions(config.redis, 'producer'), lazyConnect: false });
        let down = false;
        client.on('error', (error: Error) => {
          if (!down) logger.warn(`Redis unreachable: ${error.message}`);
          down = true;
        });
        client.on('ready', () => {
          if (down) logger.log('Redis reachable again');
          down = false;
        });
        // Give the first connection a moment so a healthy start is ready at once; an unreachable
        // Redis must not block the start (the API and /ready still answer, naming it).
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2000);
          client.once('ready', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        return client;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
