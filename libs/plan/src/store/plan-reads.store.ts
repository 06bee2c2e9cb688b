import { type Plan, type PlanStep, sqlRows } from '@nutfleet/db';

import { AUTOMATIC_PLAN_CREATOR, type PlanKind, type PlanMode, type PlanState } from '../plan-kinds';
import { type DrillPlanRows } from '../drill/drill-report.types';
import { type ShutdownPlanDetailSummary } from '../plan-detail';
import { type StepState } from '../step-state';
import { type PlanDatabase } from './plan-database';

/** The latest automatic shutdown plan, with the parts of its detail the planners use. */
export type LatestAutomaticPlan = Pick<Plan, 'id' | 'state' | 'createdAt' | 'cancelledAt'> & {
  readonly detail: ShutdownPlanDetailSummary;
};

/** A host power-off step as the restart side reads it (who went down, and when). */
export interface PowerOffStepRecord {
  readonly hostId: string;
  readonly state: StepState;
  readonly finishedAt: number | null;
  readonly commandSent: boolean;
}

/** A restart plan's step as its gate keeper reads it. */
export type RestartStepRow = Pick<PlanStep, 'id' | 'key' | 'hostId' | 'action' | 'state' | 'startedAt' | 'finishedAt'>;

export type PlanStepWithHostName = PlanStep & { host: { name: string } | null };

/** One host's steps of one plan, with the plan they belong to (a host's history). */
export interface HostPlanRow {
  readonly plan: Pick<Plan, 'id' | 'kind' | 'mode' | 'state' | 'reason' | 'createdAt' | 'startedAt' | 'finishedAt'>;
  readonly steps: ReadonlyArray<Pick<PlanStep, 'action' | 'state' | 'startedAt' | 'finishedAt' | 'error' | 'detail'>>;
}

/** A plan with its steps counted by action and state (what a drill or benchmark prints). */
export interface PlanStepTally {
  readonly plan: Pick<Plan, 'id' | 'kind' | 'state' | 'reason' | 'createdAt' | 'finishedAt'>;
  readonly steps: ReadonlyArray<{ readonly action: string; readonly state: StepState; readonly count: number }>;
}

export interface FinishedPlanRow {
  readonly kind: PlanKind;
  readonly mode: PlanMode;
  readonly state: PlanState;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface PlanNotificationRow extends Pick<
  Plan,
  'id' | 'kind' | 'mode' | 'state' | 'reason' | 'createdBy' | 'createdAt' | 'finishedAt'
> {
  readonly steps: number;
  readonly failedSteps: number;
}

/** One wave of a restart plan with every step of it (gate and host steps), for its notifications. */
export interface RestartWaveRow {
  readonly planId: string;
  readonly mode: PlanMode;
  readonly wave: number;
  readonly steps: readonly {
    readonly action: string;
    readonly state: StepState;
    readonly hostName: string | null;
    readonly finishedAt: Date | null;
    readonly error: string | null;
  }[];
}

/** Reads of shutdown and restart plans: the planners', the API's, metrics' and notifications'. */
export class PlanReadsStore {
  public constructor(private readonly db: PlanDatabase) {}

  public findIdByDedupKey(dedupKey: string): Promise<string | undefined> {
    return this.db.plan.findUnique({ where: { dedupKey }, select: { id: true } }).then((row) => row?.id);
  }

  /**
   * Read by the outage and restart planners at every evaluation (every PLAN_EVALUATE_INTERVAL_MS
   * and every UPS event): plain SQL and only three keys of the detail, since the whole plan of a
   * 1,000-host outage is megabytes of JSON.
   */
  public async latestAutomaticShutdown(): Promise<LatestAutomaticPlan | undefined> {
    const rows = await sqlRows<LatestAutomaticPlan>(
      this.db.pool,
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

  /** A plan's state, or null when it no longer exists (drills follow their plans by it). */
  public async planState(id: string): Promise<PlanState | null> {
    return (await this.db.plan.findUnique({ where: { id }, select: { state: true } }))?.state ?? null;
  }

  /** How many of a plan's steps of one action ended in one state (a drill's hosts powered off, verified). */
  public countSteps(planId: string, action: string, state: StepState): Promise<number> {
    return this.db.planStep.count({ where: { planId, action, state } });
  }

  /** A plan and its steps in plan order, as a drill report reads them. */
  public drillPlanRows(id: string): Promise<DrillPlanRows | null> {
    return this.db.plan.findUnique({
      where: { id },
      select: {
        id: true,
        state: true,
        startedAt: true,
        finishedAt: true,
        steps: {
          orderBy: [{ stage: 'asc' }, { sequence: 'asc' }],
          select: {
            key: true,
            action: true,
            hostId: true,
            state: true,
            startedAt: true,
            finishedAt: true,
            output: true,
            error: true,
            detail: true,
          },
        },
      },
    });
  }

  /**
   * When an armed restart plan last brought each host back through Wake-on-LAN: its wake step and,
   * after it, its ESXi verification both succeeded in the same plan (a host already up is verified
   * too, but not woken). Fleet readiness's WOL_PROVEN.
   */
  public async lastWokenAt(hostIds: readonly string[]): Promise<Map<string, Date>> {
    if (hostIds.length === 0) return new Map();
    const rows = await sqlRows<{ hostId: string; at: Date }>(
      this.db.pool,
      `SELECT v."hostId"::text AS "hostId", max(v."finishedAt") AS "at"
         FROM "PlanStep" v
         JOIN "Plan" p ON p."id" = v."planId" AND p."kind" = 'RESTART'::"PlanKind" AND p."mode" = 'ARMED'::"PlanMode"
         JOIN "PlanStep" w ON w."planId" = v."planId" AND w."hostId" = v."hostId" AND w."action" = 'wake'
                          AND w."state" = 'SUCCEEDED'::"StepState" AND w."finishedAt" <= v."finishedAt"
        WHERE v."hostId" = ANY($1::uuid[]) AND v."action" = 'verify-esxi' AND v."state" = 'SUCCEEDED'::"StepState"
        GROUP BY v."hostId"`,
      [hostIds],
    );
    return new Map(rows.map((r) => [r.hostId, r.at]));
  }

  /** Every plan, oldest first, with its steps counted by action and state. */
  public async stepTallies(): Promise<PlanStepTally[]> {
    const [plans, counts] = await Promise.all([
      this.db.plan.findMany({
        select: { id: true, kind: true, state: true, reason: true, createdAt: true, finishedAt: true },
        orderBy: { createdAt: 'asc' },
      }),
      this.db.planStep.groupBy({ by: ['planId', 'action', 'state'], _count: { _all: true } }),
    ]);
    return plans.map((plan) => ({
      plan,
      steps: counts
        .filter((c) => c.planId === plan.id)
        .map((c) => ({ action: c.action, state: c.state, count: c._count._all })),
    }));
  }

  /**
   * The last `runs` successful VM stops and host power-offs of each of these hosts in ARMED
   * shutdown plans (outages, operators', live drills): what plan predictions are measured from.
   * A host power-off has `vmId` null. Dry runs time nothing real and are left out.
   */
  public async shutdownStepRuns(
    hostIds: readonly string[],
    runs: number,
  ): Promise<Array<{ hostId: string; vmId: string | null; planId: string; seconds: number; finishedAt: Date }>> {
    if (hostIds.length === 0) return [];
    return sqlRows(
      this.db.pool,
      `SELECT "hostId", "vmId", "planId", "seconds", "finishedAt" FROM (
         SELECT s."hostId"::text AS "hostId",
                CASE WHEN s."action" = 'vm-stop' THEN s."detail"->>'vmId' END AS "vmId",
                s."planId"::text AS "planId",
                EXTRACT(EPOCH FROM (s."finishedAt" - s."startedAt"))::float8 AS "seconds",
                s."finishedAt",
                row_number() OVER (PARTITION BY s."hostId", s."action", s."detail"->>'vmId'
                                   ORDER BY s."finishedAt" DESC) AS "n"
           FROM "PlanStep" s
           JOIN "Plan" p ON p."id" = s."planId" AND p."kind" = 'SHUTDOWN'::"PlanKind" AND p."mode" = 'ARMED'::"PlanMode"
          WHERE s."hostId" = ANY($1::uuid[]) AND s."action" IN ('vm-stop', 'host-power-off')
            AND s."state" = 'SUCCEEDED'::"StepState" AND s."startedAt" IS NOT NULL AND s."finishedAt" IS NOT NULL
       ) r WHERE r."n" <= $2`,
      [hostIds, runs],
    );
  }

  /** Whether an armed restart plan was made after an instant. */
  public async armedRestartSince(after: Date): Promise<boolean> {
    return (await this.db.plan.count({ where: { kind: 'RESTART', mode: 'ARMED', createdAt: { gt: after } } })) > 0;
  }

  /** Every step's key and state (power return decides on them). */
  public stepStates(planId: string): Promise<Array<{ key: string; state: StepState }>> {
    return sqlRows(this.db.pool, `SELECT "key", "state"::text AS "state" FROM "PlanStep" WHERE "planId" = $1::uuid`, [
      planId,
    ]);
  }

  /** Hosts a plan already has steps for. */
  public async hostIdsInPlan(planId: string): Promise<Set<string>> {
    const rows = await this.db.planStep.findMany({ where: { planId }, select: { hostId: true }, distinct: ['hostId'] });
    return new Set(rows.map((r) => r.hostId).filter((id): id is string => id !== null));
  }

  public stepCount(planId: string): Promise<number> {
    return this.db.planStep.count({ where: { planId } });
  }

  /**
   * Unfinished armed shutdown plans with a step not finished for any of these hosts (the plan that
   * holds a host: a second armed plan for it is refused).
   */
  public async armedShutdownPlansHolding(
    hostIds: readonly string[],
  ): Promise<Array<{ planId: string; hostId: string; createdBy: string | null }>> {
    if (hostIds.length === 0) return [];
    return sqlRows(this.db.pool, ARMED_SHUTDOWN_HOLDERS_SQL, [[...hostIds]]);
  }

  /** Restart plans still to be driven (their gates), oldest first. */
  public openRestartPlans(): Promise<Array<Pick<Plan, 'id' | 'mode' | 'createdAt' | 'detail'>>> {
    return this.db.plan.findMany({
      where: { kind: 'RESTART', state: { in: ['PENDING', 'RUNNING'] }, cancelledAt: null },
      select: { id: true, mode: true, createdAt: true, detail: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Restart plans whose dedup key starts with a prefix, newest first. */
  public restartsByKeyPrefix(prefix: string): Promise<Array<Pick<Plan, 'state' | 'detail'>>> {
    return this.db.plan.findMany({
      where: { kind: 'RESTART', dedupKey: { startsWith: prefix } },
      orderBy: { createdAt: 'desc' },
      select: { state: true, detail: true },
    });
  }

  /** The host power-off steps of a plan. */
  public async powerOffSteps(planId: string): Promise<PowerOffStepRecord[]> {
    const steps = await this.db.planStep.findMany({
      where: { planId, action: 'host-power-off', hostId: { not: null } },
      select: { hostId: true, state: true, finishedAt: true, commandSentAt: true },
    });
    return steps.map((s) => ({
      hostId: s.hostId ?? '',
      state: s.state,
      finishedAt: s.finishedAt?.getTime() ?? null,
      commandSent: s.commandSentAt !== null,
    }));
  }

  /**
   * The latest armed shutdown plan that took hosts down (a power-off succeeded or was sent): by
   * id when given, else the latest finished one.
   */
  public latestShutdownThatTookHostsDown(
    planId?: string,
  ): Promise<Pick<Plan, 'id' | 'startedAt' | 'createdAt'> | null> {
    return this.db.plan.findFirst({
      where: {
        kind: 'SHUTDOWN',
        mode: 'ARMED',
        ...(planId !== undefined ? { id: planId } : { state: { in: ['SUCCEEDED', 'FAILED', 'CANCELLED'] } }),
        steps: { some: { action: 'host-power-off', OR: [{ state: 'SUCCEEDED' }, { commandSentAt: { not: null } }] } },
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true, startedAt: true, createdAt: true },
    });
  }

  /** The steps of a restart plan, as its gate keeper needs them. */
  public restartSteps(planId: string): Promise<RestartStepRow[]> {
    return this.db.planStep.findMany({
      where: { planId },
      select: { id: true, key: true, hostId: true, action: true, state: true, startedAt: true, finishedAt: true },
    });
  }

  /** An armed shutdown plan made after an instant that has steps for any of these hosts. */
  public newerArmedShutdownFor(after: Date, hostIds: readonly string[]): Promise<{ id: string } | null> {
    return this.db.plan.findFirst({
      where: {
        kind: 'SHUTDOWN',
        mode: 'ARMED',
        createdAt: { gt: after },
        steps: { some: { hostId: { in: [...hostIds] } } },
      },
      select: { id: true },
    });
  }

  /** The API's plan list: newest first, with step counts by state. */
  public async list(
    limit: number,
    filter: { state?: PlanState; states?: readonly PlanState[]; kinds?: readonly PlanKind[] } = {},
  ): Promise<Array<{ plan: Plan; progress: Record<string, number> }>> {
    const plans = await this.db.plan.findMany({
      where: {
        ...(filter.state ? { state: filter.state } : filter.states ? { state: { in: [...filter.states] } } : {}),
        ...(filter.kinds ? { kind: { in: [...filter.kinds] } } : {}),
      },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    const counts = await this.db.planStep.groupBy({
      by: ['planId', 'state'],
      where: { planId: { in: plans.map((p) => p.id) } },
      _count: { _all: true },
    });
    return plans.map((plan) => ({
      plan,
      progress: Object.fromEntries(counts.filter((c) => c.planId === plan.id).map((c) => [c.state, c._count._all])),
    }));
  }

  /** The plans that had steps on a host, newest first, each with that host's steps only. */
  public async plansOfHost(hostId: string, limit: number): Promise<HostPlanRow[]> {
    const plans = await this.db.plan.findMany({
      where: { steps: { some: { hostId } } },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: {
        id: true,
        kind: true,
        mode: true,
        state: true,
        reason: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
        steps: {
          where: { hostId },
          orderBy: [{ stage: 'asc' }, { sequence: 'asc' }],
          select: { action: true, state: true, startedAt: true, finishedAt: true, error: true, detail: true },
        },
      },
    });
    return plans.map(({ steps, ...plan }) => ({ plan, steps }));
  }

  /** One plan with every step (and its host's name), in execution order. */
  public withSteps(planId: string): Promise<(Plan & { steps: PlanStepWithHostName[] }) | null> {
    return this.db.plan.findUnique({
      where: { id: planId },
      include: {
        steps: { orderBy: [{ stage: 'asc' }, { sequence: 'asc' }], include: { host: { select: { name: true } } } },
      },
    });
  }

  public find(planId: string): Promise<Plan | null> {
    return this.db.plan.findUnique({ where: { id: planId } });
  }

  /** The first plan of a kind created at or after an instant (optionally by one creator). */
  public firstCreatedSince(kind: PlanKind, since: Date, createdBy?: string): Promise<Plan | null> {
    return this.db.plan.findFirst({
      where: { kind, createdAt: { gte: since }, ...(createdBy !== undefined ? { createdBy } : {}) },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Plans finished after a cursor (plan-duration metrics). */
  public plansFinishedAfter(cursor: Date, take: number): Promise<FinishedPlanRow[]> {
    return this.db.plan.findMany({
      where: { finishedAt: { gt: cursor }, startedAt: { not: null } },
      select: { kind: true, mode: true, state: true, startedAt: true, finishedAt: true },
      orderBy: { finishedAt: 'asc' },
      take,
    });
  }

  /** Steps finished after a cursor (step-duration metrics). */
  public stepsFinishedAfter(
    cursor: Date,
    take: number,
  ): Promise<Array<Pick<PlanStep, 'action' | 'state' | 'startedAt' | 'finishedAt'>>> {
    return this.db.planStep.findMany({
      where: { finishedAt: { gt: cursor }, startedAt: { not: null } },
      select: { action: true, state: true, startedAt: true, finishedAt: true },
      orderBy: { finishedAt: 'asc' },
      take,
    });
  }

  /** Plans by kind and state (a gauge). */
  public async countsByKindAndState(): Promise<Array<{ kind: PlanKind; state: PlanState; count: number }>> {
    const groups = await this.db.plan.groupBy({ by: ['kind', 'state'], _count: { _all: true } });
    return groups.map((g) => ({ kind: g.kind, state: g.state, count: g._count._all }));
  }

  /** Plans created or finished after an instant, with step and failed-step counts (notifications). */
  public async changedSince(since: Date, take: number): Promise<PlanNotificationRow[]> {
    const plans = await this.db.plan.findMany({
      where: { OR: [{ createdAt: { gt: since } }, { finishedAt: { gt: since } }] },
      select: {
        id: true,
        kind: true,
        mode: true,
        state: true,
        reason: true,
        createdBy: true,
        createdAt: true,
        finishedAt: true,
        _count: { select: { steps: true } },
      },
      orderBy: { createdAt: 'asc' },
      take,
    });
    if (plans.length === 0) return [];
    const failed = await this.db.planStep.groupBy({
      by: ['planId'],
      where: { planId: { in: plans.map((p) => p.id) }, state: 'FAILED' },
      _count: { _all: true },
    });
    const failedBy = new Map(failed.map((f) => [f.planId, f._count._all]));
    return plans.map(({ _count, ...p }) => ({ ...p, steps: _count.steps, failedSteps: failedBy.get(p.id) ?? 0 }));
  }

  /** The waves of restart plans where a step finished after `since`, each with all its steps. */
  public async restartWavesChangedSince(since: Date, take: number): Promise<RestartWaveRow[]> {
    const changed = await this.db.planStep.findMany({
      where: { finishedAt: { gt: since }, plan: { kind: 'RESTART' } },
      select: { planId: true, stage: true },
      distinct: ['planId', 'stage'],
      orderBy: [{ planId: 'asc' }, { stage: 'asc' }],
      take,
    });
    const waves: RestartWaveRow[] = [];
    for (const { planId, stage } of changed) {
      const plan = await this.db.plan.findUnique({ where: { id: planId }, select: { mode: true } });
      if (!plan) continue;
      const steps = await this.db.planStep.findMany({
        where: { planId, stage },
        select: { action: true, state: true, finishedAt: true, error: true, host: { select: { name: true } } },
        orderBy: { sequence: 'asc' },
      });
      waves.push({
        planId,
        mode: plan.mode,
        wave: stage,
        steps: steps.map(({ host, ...step }) => ({ ...step, hostName: host?.name ?? null })),
      });
    }
    return waves;
  }
}

/**
 * The unfinished armed shutdown plans with a step not finished for any of the hosts in `$1`
 * (`planId`, `hostId`, `createdBy`): the plans that hold those hosts.
 */
export const ARMED_SHUTDOWN_HOLDERS_SQL = `SELECT DISTINCT p."id"::text AS "planId", s."hostId"::text AS "hostId", p."createdBy"
   FROM "PlanStep" s JOIN "Plan" p ON p."id" = s."planId"
  WHERE s."hostId" = ANY($1::uuid[]) AND p."kind" = 'SHUTDOWN'::"PlanKind" AND p."mode" = 'ARMED'::"PlanMode"
    AND p."state" IN ('PENDING', 'RUNNING') AND s."state" IN ('PENDING', 'QUEUED', 'RUNNING')`;
