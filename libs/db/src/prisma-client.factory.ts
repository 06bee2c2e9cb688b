import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client';

export interface PrismaConnectionOptions {
  databaseUrl: string;
  /** Upper bound on pool connections; pg's default (10) suits one process. */
  maxConnections?: number;
  /** How long to wait for a free or new connection before failing a query. */
  connectionTimeoutMs?: number;
}

/** Builds a client on the pg driver adapter (Prisma's native query engine is not used). */
export function createPrismaClient(options: PrismaConnectionOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
  });
  return new PrismaClient({ adapter });
}
