import { Prisma } from './generated/prisma/client';

/** One stored readiness result (FleetReadinessCheck); libs/power owns what the codes mean. */
export interface FleetReadinessRow {
  readonly hostId: string;
  readonly code: string;
  readonly ok: boolean;
  readonly message: string;
  readonly checkedAt: Date;
}

interface RawExecutor {
  $executeRaw(query: Prisma.Sql): Promise<number>;
}

/**
 * Keeps the latest result per host and check, in one statement: a result older than the stored
 * one never replaces it (the worker and the orchestrator write different checks of the same
 * host, replicas may race), and a host deleted meanwhile simply gets no row.
 */
export async function upsertFleetReadinessRows(db: RawExecutor, rows: readonly FleetReadinessRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    (r) => Prisma.sql`(${r.hostId}::uuid, ${r.code}::text, ${r.ok}::boolean, ${r.message}::text, ${r.checkedAt}::timestamp(3))`,
  );
  await db.$executeRaw(Prisma.sql`
    INSERT INTO "FleetReadinessCheck" ("hostId", "code", "ok", "message", "checkedAt")
    SELECT v."hostId", v."code", v."ok", v."message", v."checkedAt"
      FROM (VALUES ${Prisma.join(values)}) AS v("hostId", "code", "ok", "message", "checkedAt")
     WHERE EXISTS (SELECT 1 FROM "Host" h WHERE h."id" = v."hostId")
    ON CONFLICT ("hostId", "code") DO UPDATE
       SET "ok" = EXCLUDED."ok", "message" = EXCLUDED."message", "checkedAt" = EXCLUDED."checkedAt"
     WHERE "FleetReadinessCheck"."checkedAt" <= EXCLUDED."checkedAt"`);
}
