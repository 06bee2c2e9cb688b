import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';

import { PrismaClient } from './generated/prisma/client';

/** How long a query waits for a free connection of its pool before failing (the API answers 503). */
export const POOL_WAIT_MS = 5000;
/** How long closing may wait for connections to be given back (one lost in an outage never is). */
const CLOSE_WAIT_MS = 3000;

/**
 * A Prisma client on a pg pool of its own: connects when the module starts, disconnects when the
 * app stops. Each pool is a separate set of connections, so work on one cannot starve another.
 */
export abstract class PooledPrismaClient extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: Logger;
  /**
   * The pg pool under Prisma, shared with the few hot paths that run SQL directly (see
   * sqlRows): closed with the client.
   */
  public readonly pool: Pool;

  protected constructor(name: string, databaseUrl: string, maxConnections: number) {
    const pool = new Pool({
      connectionString: databaseUrl,
      max: maxConnections,
      connectionTimeoutMillis: POOL_WAIT_MS,
      // Shown in pg_stat_activity: which pool holds which connection.
      application_name: `nutfleet-${name}`,
    });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    this.logger = new Logger(`Prisma:${name}`);
  }

  public async onModuleInit(): Promise<void> {
    await this.$connect();
    this.logger.log(`connected to PostgreSQL (pool of ${this.pool.options.max})`);
  }

  // Disconnect in the last shutdown phase. The rule for both apps: queue workers drain and every
  // background loop (monitor, planners, reconcilers, dispatchers) stops and awaits its pass in
  // beforeApplicationShutdown, because those still need the database; a disconnect racing an
  // open transaction hangs the stop.
  public async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      (async () => {
        await this.$disconnect();
        await this.pool.end();
        return true;
      })(),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (closed) this.logger.log('disconnected from PostgreSQL');
    // A connection broken during a database outage can stay checked out for ever: do not hang the stop.
    else this.logger.warn(`PostgreSQL connections not all given back within ${CLOSE_WAIT_MS} ms; stopping anyway`);
  }
}
