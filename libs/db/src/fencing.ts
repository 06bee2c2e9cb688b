import { type Prisma, type PrismaClient } from './generated/prisma/client';

/** Name of the power monitor's lease in MonitorLeadership (its planners write under it too). */
export const POWER_MONITOR_LEASE = 'power-monitor';

export class FencedOffError extends Error {
  public constructor(
    public readonly ourToken: bigint,
    public readonly currentToken: bigint | null,
  ) {
    super(
      `fencing token ${ourToken} is no longer current (current: ${currentToken ?? 'none'}): another replica leads the power monitor`,
    );
    this.name = 'FencedOffError';
  }
}

/**
 * Runs `work` in one transaction that first reads the lease's current fencing token FOR SHARE:
 * a newer leader's claim (an UPDATE of that row) waits for this transaction or makes it fail the
 * check, so a paused ex-leader can never write after a takeover. Throws FencedOffError when
 * `token` is no longer current.
 */
export async function withFencedTransaction<T>(
  db: PrismaClient,
  token: bigint,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  lease = POWER_MONITOR_LEASE,
): Promise<T> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ fencingToken: bigint }[]>`
      SELECT "fencingToken" FROM "MonitorLeadership" WHERE id = ${lease} FOR SHARE`;
    const current = rows[0]?.fencingToken ?? null;
    if (current !== token) throw new FencedOffError(token, current);
    return work(tx);
  });
}
