import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { PooledPrismaClient } from './pooled-prisma-client';

/** The process's database client (DATABASE_POOL_SIZE connections): the API and everything else. */
@Injectable()
export class PrismaService extends PooledPrismaClient {
  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super('api', config.databaseUrl, config.databasePool.api);
  }
}

/**
 * The safety path's own client (SAFETY_DATABASE_POOL_SIZE connections): the power monitor and
 * the planners read and write through it, so that API load — hundreds of writers, event-stream
 * clients — cannot take the connections they need to record an outage and act on it.
 */
@Injectable()
export class SafetyPrismaService extends PooledPrismaClient {
  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super('safety', config.databaseUrl, config.databasePool.safety);
  }
}
