import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { PrismaClient } from './generated/prisma/client';

/** The process's database client: connects when the module starts, disconnects when the app stops. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);

  public constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ adapter: new PrismaPg({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5000 }) });
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
    this.logger.log('disconnected from PostgreSQL');
  }
}
