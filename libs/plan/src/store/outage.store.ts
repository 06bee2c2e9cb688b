import { type Outage, type Prisma, sqlRows, withFencedTransaction } from '@nutfleet/db';

import { AUTOMATIC_PLAN_CREATOR } from '../plan-kinds';
import { type PlanDatabase } from './plan-database';

export type OutageRow = Outage;
export type OutageStateName = Outage['state'];

/** Where each host of an outage stands in its shutdown plans. */
export interface OutageHostRecord {
  readonly hostId: string;
  /** A step of this host has not finished yet. */
  readonly inRunningPlan: boolean;
  /** When its last step in the outage's plans finished (null while one runs). */
  readonly lastFinishedAt: Date | null;
}

export interface OutagePlanFactsRow {
  readonly shutdownRunning: boolean;
  readonly hostsPoweredOff: number;
}

/** The still-running shutdown plans of an outage, with what power return needs. */
export interface RunningShutdownPlan {
  readonly id: string;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly upsIds: string[] | null;
  readonly pointOfNoReturnSeconds: number | null;
  readonly powerBackConfirmSeconds: number | null;
}

/**
 * Outages: the leader's lifecycle writes (fenced by the monitor's token, so a paused ex-leader
 * cannot write after a takeover), the operator's decisions (disarm, a manual restart), and the
 * reads of the planners, the API and the dashboard's banner.
 */
export class OutageStore {
  public constructor(private readonly db: PlanDatabase) {}

  /** The latest outage not closed (at most one is open; a restarting one may precede it). */
  public current(): Promise<OutageRow | null> {
    return this.db.outage.findFirst({ where: { state: { not: 'CLOSED' } }, orderBy: { createdAt: 'desc' } });
  }

  public find(id: string): Promise<OutageRow | null> {
    return this.db.outage.findUnique({ where: { id } });
  }

  public list(limit: number): Promise<OutageRow[]> {
    return this.db.outage.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  }

  /** Outages of a UPS that overlap [from, to], oldest first (its chart's marks). */
  public ofUpsBetween(upsId: string, from: Date, to: Date, take: number): Promise<OutageRow[]> {
    return this.db.outage.findMany({
      where: {
        upsIds: { has: upsId },
        openedAt: { lte: to },
        OR: [{ closedAt: null }, { closedAt: { gte: from } }],
      },
      orderBy: { openedAt: 'asc' },
      take,
    });
  }

  /** Outages opened or closed after `since`, oldest first (the notification dispatcher's source). */
  public changedSince(since: Date, take: number): Promise<OutageRow[]> {
    return this.db.outage.findMany({
      where: { OR: [{ createdAt: { gt: since } }, { closedAt: { gt: since } }] },
      orderBy: { createdAt: 'asc' },
      take,
    });
  }

  /** What the outage's shutdown plans did: still running, and how many hosts they took down. */
  public async planFacts(outageId: string): Promise<OutagePlanFactsRow> {
    const rows = await sqlRows<{ running: boolean; poweredOff: number }>(
      this.db.pool,
      `SELECT EXISTS (SELECT 1 FROM "Plan" p WHERE p."outageId" = $1::uuid AND p."kind" = 'SHUTDOWN'::"PlanKind"
                        AND p."mode" = 'ARMED'::"PlanMode" AND p."state" IN ('PENDING', 'RUNNING')) AS "running",
              (SELECT count(DISTINCT s."hostId")::int FROM "PlanStep" s JOIN "Plan" p ON p."id" = s."planId"
                WHERE p."outageId" = $1::uuid AND p."mode" = 'ARMED'::"PlanMode" AND s."action" = 'host-power-off'
                  AND (s."state" = 'SUCCEEDED'::"StepState" OR s."commandSentAt" IS NOT NULL)) AS "poweredOff"`,
      [outageId],
    );
    return { shutdownRunning: rows[0]?.running === true, hostsPoweredOff: rows[0]?.poweredOff ?? 0 };
  }

  /** Per host with steps in the outage's armed shutdown plans: whether one runs, when the last ended. */
  public async hostRecords(outageId: string): Promise<Map<string, OutageHostRecord>> {
    const rows = await sqlRows<OutageHostRecord>(
      this.db.pool,
      `SELECT s."hostId"::text AS "hostId",
              bool_or(s."state" IN ('PENDING', 'QUEUED', 'RUNNING')) AS "inRunningPlan",
              max(s."finishedAt") AS "lastFinishedAt"
         FROM "PlanStep" s JOIN "Plan" p ON p."id" = s."planId"
        WHERE p."outageId" = $1::uuid AND p."kind" = 'SHUTDOWN'::"PlanKind" AND p."mode" = 'ARMED'::"PlanMode"
          AND s."hostId" IS NOT NULL
        GROUP BY s."hostId"`,
      [outageId],
    );
    return new Map(rows.map((r) => [r.hostId, r]));
  }

  /** The outage's automatic plan still running (new critical hosts join it), if any. */
  public async runningAutomaticPlanId(outageId: string): Promise<string | undefined> {
    const plan = await this.db.plan.findFirst({
      where: {
        outageId,
        kind: 'SHUTDOWN',
        createdBy: AUTOMATIC_PLAN_CREATOR,
        state: { in: ['PENDING', 'RUNNING'] },
        cancelledAt: null,
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    });
    return plan?.id;
  }

  /** Ids of the outage's automatic shutdown plans, oldest first. */
  public async automaticPlanIds(outageId: string): Promise<string[]> {
    const plans = await this.db.plan.findMany({
      where: { outageId, kind: 'SHUTDOWN', createdBy: AUTOMATIC_PLAN_CREATOR },
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    });
    return plans.map((p) => p.id);
  }

  public automaticPlanCount(outageId: string): Promise<number> {
    return this.db.plan.count({ where: { outageId, kind: 'SHUTDOWN', createdBy: AUTOMATIC_PLAN_CREATOR } });
  }

  /**
   * The outage's own armed shutdown plans still running and not cancelled: power return before
   * the point of no return cancels them. An operator's plan made during the outage is not among
   * them: it was the operator's decision, and power coming back does not revoke it.
   */
  public runningAutomaticShutdownPlans(outageId: string): Promise<RunningShutdownPlan[]> {
    return sqlRows<RunningShutdownPlan>(
      this.db.pool,
      `SELECT "id"::text AS "id", "createdAt", "startedAt",
              ARRAY(SELECT jsonb_array_elements_text(COALESCE("detail"->'upsIds', '[]'::jsonb))) AS "upsIds",
              ("detail"->>'pointOfNoReturnSeconds')::float8 AS "pointOfNoReturnSeconds",
              ("detail"->>'powerBackConfirmSeconds')::float8 AS "powerBackConfirmSeconds"
         FROM "Plan"
        WHERE "outageId" = $1::uuid AND "kind" = 'SHUTDOWN'::"PlanKind" AND "mode" = 'ARMED'::"PlanMode"
          AND "state" IN ('PENDING', 'RUNNING') AND "cancelledAt" IS NULL AND "createdBy" = $2
        ORDER BY "createdAt"`,
      [outageId, AUTOMATIC_PLAN_CREATOR],
    );
  }

  /** Whether a restart plan has finished (any outcome). */
  public async restartFinished(planId: string): Promise<boolean> {
    const plan = await this.db.plan.findUnique({ where: { id: planId }, select: { state: true } });
    return plan === null || (plan.state !== 'PENDING' && plan.state !== 'RUNNING');
  }

  /** When the latest armed restart plan was made (a new outage's timers start no earlier). */
  public async lastArmedRestartAt(): Promise<Date | undefined> {
    const plan = await this.db.plan.findFirst({
      where: { kind: 'RESTART', mode: 'ARMED' },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    return plan?.createdAt;
  }

  // ---- the leader's lifecycle, fenced ----

  public async open(
    token: bigint,
    outage: { openedAt: Date; upsIds: readonly string[]; timersFrom?: Date },
  ): Promise<OutageRow> {
    return withFencedTransaction(this.db, token, (tx) =>
      tx.outage.create({
        data: {
          openedAt: outage.openedAt,
          upsIds: [...outage.upsIds],
          ...(outage.timersFrom !== undefined ? { timersFrom: outage.timersFrom } : {}),
          fencingToken: token,
        },
      }),
    );
  }

  /** Updates an outage that is not closed; false when it had been closed meanwhile. */
  public async update(token: bigint, id: string, data: Prisma.OutageUpdateManyMutationInput): Promise<boolean> {
    return withFencedTransaction(this.db, token, async (tx) => {
      const { count } = await tx.outage.updateMany({
        where: { id, state: { not: 'CLOSED' } },
        data: { ...data, fencingToken: token },
      });
      return count === 1;
    });
  }

  public close(token: bigint, id: string, reason: string, at: Date): Promise<boolean> {
    return this.update(token, id, { state: 'CLOSED', closedAt: at, closeReason: reason });
  }

  // ---- operators' decisions (from the API: not fenced, they are not the leader's) ----

  /** An operator cancelled the outage's automatic shutdown: nothing more is planned by itself. */
  public async disarm(id: string, by: string, at: Date): Promise<void> {
    await this.db.outage.updateMany({
      where: { id, state: { not: 'CLOSED' }, disarmedAt: null },
      data: { disarmedAt: at, disarmedBy: by },
    });
  }

  /** A restart (an operator's) ends the outage: it is restarting, decisions go back to normal. */
  public async restartStarted(id: string, restartPlanId: string, reason: string): Promise<void> {
    await this.db.outage.updateMany({
      where: { id, state: { in: ['OPEN', 'SHEDDING', 'POWER_BACK'] } },
      data: { state: 'RESTARTING', restartPlanId, closeReason: reason },
    });
  }
}
