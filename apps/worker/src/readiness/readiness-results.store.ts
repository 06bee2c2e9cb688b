import { Injectable } from '@nestjs/common';

import { PrismaService, upsertFleetReadinessRows } from '@nutfleet/db';
import { type ReadinessCheckResult } from '@nutfleet/power';

/** Writes a host's latest check results, one row per check code, in one statement. */
@Injectable()
export class ReadinessResultsStore {
  public constructor(private readonly prisma: PrismaService) {}

  public record(hostId: string, results: readonly ReadinessCheckResult[]): Promise<void> {
    return upsertFleetReadinessRows(
      this.prisma,
      results.map((r) => ({ hostId, code: r.code, ok: r.ok, message: r.message, checkedAt: new Date(r.checkedAt) })),
    );
  }
}
