import { Injectable } from '@nestjs/common';

import { Prisma, PrismaService } from '@nutfleet/db';
import { type ReadinessCheckResult } from '@nutfleet/power';

/** Writes a host's latest check results, one row per check code, in one statement. */
@Injectable()
export class ReadinessResultsStore {
  public constructor(private readonly prisma: PrismaService) {}

  public async record(hostId: string, results: readonly ReadinessCheckResult[]): Promise<void> {
    if (results.length === 0) return;
    const rows = results.map(
      (r) => Prisma.sql`(${hostId}::uuid, ${r.code}, ${r.ok}, ${r.message}, ${new Date(r.checkedAt)})`,
    );
    // A host deleted meanwhile has no row to refer to: its results are dropped, not an error.
    await this.prisma.$executeRaw`
      INSERT INTO "FleetReadinessCheck" ("hostId", "code", "ok", "message", "checkedAt")
      SELECT v.* FROM (VALUES ${Prisma.join(rows)}) AS v("hostId", "code", "ok", "message", "checkedAt")
      WHERE EXISTS (SELECT 1 FROM "Host" h WHERE h."id" = v."hostId")
      ON CONFLICT ("hostId", "code") DO UPDATE
        SET "ok" = EXCLUDED."ok", "message" = EXCLUDED."message", "checkedAt" = EXCLUDED."checkedAt"
        WHERE "FleetReadinessCheck"."checkedAt" <= EXCLUDED."checkedAt"`;
  }
}
