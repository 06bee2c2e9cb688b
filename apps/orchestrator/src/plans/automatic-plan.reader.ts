import { type Plan, type PrismaService, sqlRows } from '@nutfleet/db';

import { type PlanDetail } from './plan-factory.service';

/** `Plan.createdBy` of the plans the power monitor's outage planner makes (always ARMED). */
export const AUTOMATIC_PLAN_CREATOR = 'power-monitor';

/** The latest automatic shutdown plan, with the parts of its detail the planners use. */
export type LatestAutomaticPlan = Pick<Plan, 'id' | 'state' | 'createdAt' | 'cancelledAt'> & {
  readonly detail: Partial<Pick<PlanDetail, 'upsIds' | 'pointOfNoReturnSeconds' | 'powerBackConfirmSeconds'>>;
};

/**
 * Read by the outage and restart planners at every evaluation (every PLAN_EVALUATE_INTERVAL_MS
 * and every UPS event): plain SQL and only three keys of the detail, since the whole plan of a
 * 1,000-host outage is megabytes of JSON.
 */
export async function readLatestAutomaticPlan(prisma: PrismaService): Promise<LatestAutomaticPlan | undefined> {
  const rows = await sqlRows<LatestAutomaticPlan>(
    prisma.pool,
    `SELECT "id"::text AS "id", "state"::text AS "state", "createdAt", "cancelledAt",
            jsonb_build_object('upsIds', "detail"->'upsIds',
                               'pointOfNoReturnSeconds', "detail"->'pointOfNoReturnSeconds',
                               'powerBackConfirmSeconds', "detail"->'powerBackConfirmSeconds') AS "detail"
       FROM "Plan" WHERE "kind" = 'SHUTDOWN'::"PlanKind" AND "createdBy" = $1
      ORDER BY "createdAt" DESC LIMIT 1`,
    [AUTOMATIC_PLAN_CREATOR],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  // Absent keys come back as JSON null; the planners' defaults apply to undefined.
  const detail = Object.fromEntries(Object.entries(row.detail).filter(([, v]) => v !== null));
  return { ...row, detail };
}
