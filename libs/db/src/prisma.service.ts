import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { PrismaClient } from './generated/prisma/client';

/** The process's database client: connects when the module starts, disconnects when the app stops. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  /**
   * The pg pool under Prisma, shared with the few hot paths that run SQL directly (see
   * sqlRows): one set of connections per process, closed with the client.
   */
  public readonly pool: Pool;

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const pool = new Pool({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
  }

  public async onModuleInit(): Promise<void> {
    await this.$connect();
    this.logger.log('connected to PostgreSQL');
  }

  // Disconnect in the last shutdown phase. The rule for both apps: queue workers drain and every
  // background loop (monitor, planners, reconcilers, dispatchers) stops and awaits its pass in
  // beforeApplicationShutdown, because those still need the database; a disconnect racing an
  // open transaction hangs the stop.
  public async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end();
    this.logger.log('disconnected from PostgreSQL');
  }
}
