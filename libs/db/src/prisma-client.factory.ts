import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';

import { PrismaClient } from './generated/prisma/client';

export interface PrismaConnectionOptions {
  databaseUrl: string;
  /** Upper bound on pool connections; pg's default (10) suits one process. */
  maxConnections?: number;
  /** How long to wait for a free or new connection before failing a query. */
  connectionTimeoutMs?: number;
}

/** A Prisma client and the pg pool under it (plain-SQL hot paths run on the same connections). */
export type PrismaClientWithPool = PrismaClient & { readonly pool: Pool };

/**
 * Builds a client on the pg driver adapter (Prisma's native query engine is not used), with its
 * pool exposed as `pool`. `$disconnect()` also ends the pool, so a CLI exits when it is done.
 */
export function createPrismaClient(options: PrismaConnectionOptions): PrismaClientWithPool {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  const disconnect = client.$disconnect.bind(client);
  return Object.assign(client, {
    pool,
    $disconnect: async (): Promise<void> => {
      await disconnect();
      if (!pool.ended) await pool.end();
    },
  });
}
