import { isUniqueViolation, sqlCount, sqlRows, withSqlTransaction } from '@nutfleet/db';

import { type PlanKind, type PlanMode, type PlanState } from '../plan-kinds';
import { type RestartPlanDetail, type ShutdownPlanDetail } from '../plan-detail';
import { type RestartGateStepDetail, type RestartStepDetail } from '../restart-step.detail';
import { type ShutdownStepDetail } from '../shutdown-step.detail';
import { type UpsPowerCycleStepDetail } from '../ups-power-cycle-step.detail';
import { allowedPredecessors } from '../step-state';
import { asJson, type PlanDatabase } from './plan-database';
import { ARMED_SHUTDOWN_HOLDERS_SQL } from './plan-reads.store';
import { insertStepRows, stepRowsDocument } from './plan-step-rows';

/**
 * Advisory lock key serializing "no other armed plan holds these hosts" with the insert: two
 * requests at the same instant would otherwise both find the hosts free and both insert.
 */
const ARMED_SHUTDOWN_LOCK_KEY = 7_361_024_015;

/** The hosts of an exclusive plan are held by other unfinished armed shutdown plans (nothing was written). */
export class PlanHostsHeldError extends Error {
  public constructor(public readonly holders: ReadonlyArray<{ readonly planId: string; readonly hostId: string }>) {
    super(
      `hosts held by the unfinished armed shutdown plan(s) ${[...new Set(holders.map((h) => h.planId))].join(', ')}`,
    );
    this.name = 'PlanHostsHeldError';
  }
}

/** What a shutdown or restart step's `detail` may hold: one of the contracts the worker reads. */
export type PlanStepDetail = ShutdownStepDetail | RestartStepDetail | RestartGateStepDetail | UpsPowerCycleStepDetail;

/** One PlanStep row as a factory builds it (ids, state and timestamps are set by the store). */
export interface NewPlanStep {
  readonly key: string;
  readonly hostId: string | null;
  readonly action: string;
  readonly stage: number;
  readonly sequence: number;
  readonly dependsOn: readonly string[];
  readonly deadlineAt: Date | null;
  readonly detail: PlanStepDetail;
  /**
   * Set on the steps the plan starts with (PlanFactory): the step is written QUEUED under this
   * `plan.steps` job id, and the plan RUNNING, so its first jobs go to Redis right after the
   * commit instead of waiting for a worker's first advance. A crash before they are added leaves
   * QUEUED steps without a job, which the workers' reconciler adds under the same id.
   */
  readonly jobId?: string;
}

/** A step written QUEUED at the plan's birth: its row id, key and job. */
export interface QueuedNewStep {
  readonly id: string;
  readonly key: string;
  readonly jobId: string;
}

export interface NewPlan {
  readonly id: string;
  readonly kind: Extract<PlanKind, 'SHUTDOWN' | 'RESTART'>;
  readonly mode: PlanMode;
  readonly reason: string;
  readonly createdBy: string;
  /** What the plan was asked for (hosts, groups, tags; or the outage it answers). */
  readonly targets: object;
  readonly detail: ShutdownPlanDetail | RestartPlanDetail;
  readonly predictedSeconds?: number;
  readonly pointOfNoReturnAt?: Date;
  /** One plan per key: a second insert with the same key returns the first plan. */
  readonly dedupKey?: string;
  /** The outage this plan answers. */
  readonly outageId?: string;
  /**
   * Insert only if no other unfinished armed shutdown plan holds one of these hosts, checked in
   * the insert's transaction under a lock (else `PlanHostsHeldError`).
   */
  readonly exclusiveHostIds?: readonly string[];
  readonly steps: readonly NewPlanStep[];
  /**
   * Steps written after the plan's transaction (PendingStepsStore.write), their document saved in
   * it: the first steps commit, and their jobs go out, without waiting for thousands of rows the
   * plan needs only later. The plan does not end while they are pending.
   */
  readonly laterSteps?: readonly NewPlanStep[];
  readonly createdAt: Date;
}

/** Who asked for a cancel: an operator (disarms what is left of the plan) or the system itself. */
export interface CancelRequest {
  readonly reason: string;
  /** e.g. `operator:<token name>` or `system:power-back`. */
  readonly by: string;
}

export type CancelResult =
  | {
      readonly kind: 'cancelled';
      readonly cancelledSteps: number;
      /** The plan's own kind, creator and outage: an operator's cancel of an outage's plan disarms it. */
      readonly plan: { readonly kind: PlanKind; readonly createdBy: string | null; readonly outageId: string | null };
    }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'finished'; readonly state: PlanState };

/**
 * Writes of shutdown and restart plans by the orchestrator: creation (plan and steps in one
 * transaction: a plan is never half-written), late hosts joining a plan, cancellation, restart
 * gates and pauses. Every step state change takes its WHERE clause from the step machine.
 */
export class PlanWritesStore {
  public constructor(private readonly db: PlanDatabase) {}

  /**
   * Inserts the plan and its steps in one transaction, as plain SQL on Prisma's pool: the plan of a
   * 1,000-host outage is megabytes of JSON, and passing it through Prisma's engine cost ~0.3 s more
   * between the LB and the first command. With a dedup key already taken (two replicas or two
   * events racing on one outage) it returns the existing plan and `created: false`. Steps given a
   * `jobId` are written QUEUED (the plan RUNNING from its creation) and come back in `queued`
   * with their row ids, for the caller to add their jobs. `laterSteps` are saved beside it as one
   * document, for PendingStepsStore.write to make rows of once this has committed.
   */
  public async insertPlan(
    plan: NewPlan,
  ): Promise<{ planId: string; created: boolean; queued: readonly QueuedNewStep[] }> {
    if (plan.dedupKey !== undefined) {
      const existing = await this.findByDedupKey(plan.dedupKey);
      if (existing !== undefined) return { planId: existing, created: false, queued: [] };
    }
    const started = plan.steps.some((s) => s.jobId !== undefined);
    let queued: QueuedNewStep[] = [];
    try {
      await withSqlTransaction(this.db.pool, async (client) => {
        if (plan.exclusiveHostIds !== undefined && plan.exclusiveHostIds.length > 0) {
          await sqlRows(client, 'SELECT pg_advisory_xact_lock($1::bigint)', [ARMED_SHUTDOWN_LOCK_KEY]);
          // Read after the lock: a plan committed by the previous holder is seen here.
          const holders = await sqlRows<{ planId: string; hostId: string }>(client, ARMED_SHUTDOWN_HOLDERS_SQL, [
            [...plan.exclusiveHostIds],
          ]);
          if (holders.length > 0) throw new PlanHostsHeldError(holders);
        }
        await sqlCount(
          client,
          `INSERT INTO "Plan" ("id", "kind", "mode", "state", "reason", "createdBy", "targets", "predictedSeconds",
                               "pointOfNoReturnAt", "detail", "dedupKey", "createdAt", "outageId", "startedAt")
           VALUES ($1::uuid, $2::"PlanKind", $3::"PlanMode", $13::"PlanState", $4, $5, $6::jsonb, $7,
                   $8::timestamp(3), $9::jsonb, $10, $11::timestamp(3), $12::uuid,
                   CASE WHEN $13 = 'RUNNING' THEN $11::timestamp(3) END)`,
          [
            plan.id,
            plan.kind,
            plan.mode,
            plan.reason,
            plan.createdBy,
            JSON.stringify(plan.targets),
            plan.predictedSeconds ?? null,
            plan.pointOfNoReturnAt?.toISOString() ?? null,
            JSON.stringify(plan.detail),
            plan.dedupKey ?? null,
            plan.createdAt.toISOString(),
            plan.outageId ?? null,
            started ? 'RUNNING' : 'PENDING',
          ],
        );
        queued = await insertStepRows(
          (text, values) => sqlRows<QueuedNewStep>(client, text, values),
          plan.id,
          plan.steps,
          plan.createdAt,
        );
        if (plan.laterSteps !== undefined && plan.laterSteps.length > 0)
          await sqlCount(client, `INSERT INTO "PendingPlanSteps" ("planId", "steps") VALUES ($1::uuid, $2::json)`, [
            plan.id,
            stepRowsDocument(plan.laterSteps),
          ]);
      });
    } catch (error) {
      if (plan.dedupKey !== undefined && isUniqueViolation(error, 'Plan_dedupKey_key')) {
        const existing = await this.findByDedupKey(plan.dedupKey);
        if (existing !== undefined) return { planId: existing, created: false, queued: [] };
      }
      throw error;
    }
    return { planId: plan.id, created: true, queued };
  }

  private findByDedupKey(dedupKey: string): Promise<string | undefined> {
    return this.db.plan.findUnique({ where: { dedupKey }, select: { id: true } }).then((row) => row?.id);
  }

  /**
   * Adds steps to a plan with its detail updated in the same transaction (`updateDetail` gets the
   * stored detail); a plan that had already finished runs again for them. A step already there
   * (a host added twice by racing evaluations) is kept, never duplicated.
   */
  public async appendSteps(
    planId: string,
    steps: readonly NewPlanStep[],
    updateDetail: (detail: unknown) => ShutdownPlanDetail,
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const plan = await tx.plan.findUniqueOrThrow({ where: { id: planId } });
      await insertStepRows(
        (text, values) => tx.$queryRawUnsafe<QueuedNewStep[]>(text, ...values),
        planId,
        steps,
        new Date(),
      );
      await tx.plan.update({
        where: { id: planId },
        data: {
          detail: asJson(updateDetail(plan.detail)),
          ...(plan.state === 'SUCCEEDED' || plan.state === 'FAILED' ? { state: 'RUNNING', finishedAt: null } : {}),
        },
      });
    });
  }

  /**
   * Cancels what has not started (PENDING/QUEUED steps) and records who asked; running steps
   * finish — a command may be on its way to a host. The worker finishes the plan (CANCELLED) once
   * nothing runs any more.
   */
  public async cancel(planId: string, request: CancelRequest, now: Date): Promise<CancelResult> {
    return this.db.$transaction(async (tx) => {
      const plan = await tx.plan.findUnique({
        where: { id: planId },
        select: { state: true, kind: true, createdBy: true, outageId: true },
      });
      if (!plan) return { kind: 'not-found' } as const;
      if (plan.state !== 'PENDING' && plan.state !== 'RUNNING') return { kind: 'finished', state: plan.state } as const;
      await tx.plan.updateMany({
        where: { id: planId, cancelledAt: null },
        data: { cancelledAt: now, cancelledBy: request.by },
      });
      const { count } = await tx.planStep.updateMany({
        where: { planId, state: { in: allowedPredecessors('CANCELLED', 'cancel') } },
        data: { state: 'CANCELLED', finishedAt: now, error: `cancelled: ${request.reason}` },
      });
      await tx.powerEvent.create({
        data: {
          type: 'PLAN',
          planId,
          data: { event: 'cancelled', reason: request.reason, by: request.by, cancelledSteps: count },
        },
      });
      return {
        kind: 'cancelled',
        cancelledSteps: count,
        plan: { kind: plan.kind, createdBy: plan.createdBy, outageId: plan.outageId },
      } as const;
    });
  }

  /**
   * An automatic outage plan takes these hosts: their steps not started in every other unfinished
   * plan (a manual shutdown, a dry run, a restart) are cancelled — the outage's plan supersedes
   * them, so no VM gets its shutdown twice and no host is woken while it goes down. Returns the
   * plans touched.
   */
  public async supersedeHostSteps(
    keepPlanId: string,
    hostIds: readonly string[],
    reason: string,
    now: Date,
  ): Promise<string[]> {
    if (hostIds.length === 0) return [];
    const rows = await sqlRows<{ planId: string }>(
      this.db.pool,
      `UPDATE "PlanStep" AS s
          SET "state" = 'CANCELLED'::"StepState", "finishedAt" = $4::timestamp(3), "updatedAt" = $4::timestamp(3),
              "error" = $3
         FROM "Plan" p
        WHERE p."id" = s."planId" AND s."planId" <> $1::uuid AND s."hostId" = ANY($2::uuid[])
          AND p."state" IN ('PENDING', 'RUNNING') AND s."state"::text = ANY($5::text[])
       RETURNING s."planId"::text AS "planId"`,
      [keepPlanId, [...hostIds], `cancelled: ${reason}`, now.toISOString(), allowedPredecessors('CANCELLED', 'cancel')],
    );
    return [...new Set(rows.map((r) => r.planId))];
  }

  /** A restart wave's gate opened: its gate step PENDING → SUCCEEDED; false when it was no longer pending. */
  public async openGate(stepId: string, output: string, at: Date): Promise<boolean> {
    const { count } = await this.db.planStep.updateMany({
      where: { id: stepId, action: 'restart-gate', state: { in: allowedPredecessors('SUCCEEDED', 'gate-opened') } },
      data: { state: 'SUCCEEDED', startedAt: at, finishedAt: at, output },
    });
    return count === 1;
  }

  /** A gate with no host left behind it: PENDING → SKIPPED; false when it was no longer pending. */
  public async skipGate(stepId: string, output: string, at: Date): Promise<boolean> {
    const { count } = await this.db.planStep.updateMany({
      where: { id: stepId, action: 'restart-gate', state: { in: allowedPredecessors('SKIPPED', 'skip') } },
      data: { state: 'SKIPPED', finishedAt: at, output },
    });
    return count === 1;
  }

  /** Replaces a plan's detail (a restart paused by power failing again records when). */
  public async replaceDetail(planId: string, detail: ShutdownPlanDetail | RestartPlanDetail): Promise<void> {
    await this.db.plan.update({ where: { id: planId }, data: { detail: asJson(detail) } });
  }
}
