import { type Artifact, type Plan, type PlanStep, Prisma, type Rollout } from '@nutfleet/db';

import { allowedPredecessors } from '../step-state';
import { asJson, type PlanDatabase, type PlanTransaction } from './plan-database';

/** PostgreSQL's clock in epoch milliseconds, and a lease end from it. */
const NOW_MS = Prisma.sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
const LEASE_UNTIL = (leaseMs: number): Prisma.Sql =>
  Prisma.sql`((extract(epoch from clock_timestamp()) * 1000)::bigint + ${Math.round(leaseMs)}::bigint)`;

export type RolloutWithArtifact = Rollout & { artifact: Artifact | null };
export type RolloutWithPlan = Rollout & { plan: Plan; artifact: Artifact | null };
export type RolloutStepWithPlan = PlanStep & { plan: Plan & { rollout: RolloutWithArtifact | null } };

/** What the rollout scheduler needs of a host step. */
export interface RolloutStepRow {
  readonly id: string;
  readonly hostId: string;
  readonly wave: number;
  readonly state: PlanStep['state'];
  readonly finishedAt: number | null;
}

export interface NewRolloutStep {
  readonly key: string;
  readonly hostId: string;
  readonly action: string;
  readonly stage: number;
  readonly sequence: number;
  /** The rollout step contract (`RolloutStepDetail` of libs/vib). */
  readonly detail: object;
}

/** Rollout plans (kind ROLLOUT): their creation, control, leases and reads, for both apps. */
export class RolloutPlanStore {
  public constructor(private readonly db: PlanDatabase) {}

  /** The rollout's plan and host steps, inside the caller's transaction (the Rollout row and audit go with it). */
  public async insertPlan(
    tx: PlanTransaction,
    plan: {
      id: string;
      reason: string;
      createdBy: string;
      targets: object;
      detail: object;
      steps: readonly NewRolloutStep[];
    },
  ): Promise<void> {
    await tx.plan.create({
      data: {
        id: plan.id,
        kind: 'ROLLOUT',
        mode: 'ARMED',
        reason: plan.reason,
        createdBy: plan.createdBy,
        targets: asJson(plan.targets),
        detail: asJson(plan.detail),
        steps: { createMany: { data: plan.steps.map((s) => ({ ...s, detail: asJson(s.detail) })) } },
      },
    });
  }

  /** Hosts not started are cancelled; hosts in flight finish. Returns how many were cancelled. */
  public async cancel(tx: PlanTransaction, planId: string, reason: string, now: Date): Promise<number> {
    await tx.plan.updateMany({ where: { id: planId, cancelledAt: null }, data: { cancelledAt: now } });
    const { count } = await tx.planStep.updateMany({
      where: { planId, state: { in: allowedPredecessors('CANCELLED', 'cancel') } },
      data: { state: 'CANCELLED', finishedAt: now, error: `cancelled: ${reason}` },
    });
    return count;
  }

  /** Failed and cancelled hosts start over (their journals are kept) and the plan runs again. */
  public async resume(tx: PlanTransaction, planId: string, detail: object): Promise<number> {
    const { count } = await tx.planStep.updateMany({
      where: { planId, state: { in: allowedPredecessors('PENDING', 'resume') } },
      data: { state: 'PENDING', finishedAt: null, error: null, jobId: null },
    });
    await tx.plan.update({
      where: { id: planId },
      data: { state: 'RUNNING', finishedAt: null, cancelledAt: null, detail: asJson(detail) },
    });
    return count;
  }

  /** By rollout id or its plan id, in the caller's transaction. */
  public findRolloutForControl(tx: PlanTransaction, id: string): Promise<RolloutWithPlan | null> {
    return tx.rollout.findFirst({ where: { OR: [{ id }, { planId: id }] }, include: { plan: true, artifact: true } });
  }

  /** Ids of unfinished rollouts that use an artifact (it may not be deleted under them). */
  public async unfinishedRolloutsUsing(tx: PlanTransaction, artifactId: string): Promise<string[]> {
    const rows = await tx.rollout.findMany({
      where: { artifactId, plan: { state: { in: ['PENDING', 'RUNNING'] } } },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  public listRollouts(limit: number): Promise<RolloutWithPlan[]> {
    return this.db.rollout.findMany({
      include: { plan: true, artifact: true },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
  }

  public findRollout(id: string): Promise<RolloutWithPlan | null> {
    return this.db.rollout.findFirst({
      where: { OR: [{ id }, { planId: id }] },
      include: { plan: true, artifact: true },
    });
  }

  public findRolloutOfPlan(planId: string): Promise<RolloutWithArtifact | null> {
    return this.db.rollout.findUnique({ where: { planId }, include: { artifact: true } });
  }

  /** Host steps of a rollout with the host's name, in wave order (the API's per-host view). */
  public hostSteps(planId: string): Promise<Array<PlanStep & { host: { name: string } | null }>> {
    return this.db.planStep.findMany({
      where: { planId },
      include: { host: { select: { name: true } } },
      orderBy: [{ stage: 'asc' }, { sequence: 'asc' }],
    });
  }

  /** Steps changed since an instant (a live stream's next batch), oldest change first. */
  public stepsChangedSince(
    planId: string,
    since: Date,
  ): Promise<
    Array<
      Pick<PlanStep, 'id' | 'hostId' | 'stage' | 'state' | 'progress' | 'error' | 'attempts' | 'updatedAt' | 'detail'>
    >
  > {
    return this.db.planStep.findMany({
      where: { planId, updatedAt: { gte: since } },
      select: {
        id: true,
        hostId: true,
        stage: true,
        state: true,
        progress: true,
        error: true,
        attempts: true,
        updatedAt: true,
        detail: true,
      },
      orderBy: { updatedAt: 'asc' },
    });
  }

  /** Step counts by state for each plan (a list's progress column). */
  public async stepCounts(planIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
    const counts = await this.db.planStep.groupBy({
      by: ['planId', 'state'],
      where: { planId: { in: [...planIds] } },
      _count: { _all: true },
    });
    const byPlan = new Map<string, Record<string, number>>();
    for (const c of counts) {
      const mine = byPlan.get(c.planId) ?? {};
      mine[c.state] = c._count._all;
      byPlan.set(c.planId, mine);
    }
    return byPlan;
  }

  public findStep(stepId: string): Promise<RolloutStepWithPlan | null> {
    return this.db.planStep.findUnique({
      where: { id: stepId },
      include: { plan: { include: { rollout: { include: { artifact: true } } } } },
    });
  }

  public async stepRows(planId: string): Promise<RolloutStepRow[]> {
    const rows = await this.db.planStep.findMany({
      where: { planId },
      select: { id: true, hostId: true, stage: true, state: true, finishedAt: true },
      orderBy: [{ stage: 'asc' }, { sequence: 'asc' }],
    });
    return rows.map((r) => ({
      id: r.id,
      hostId: r.hostId ?? '',
      wave: r.stage,
      state: r.state,
      finishedAt: r.finishedAt?.getTime() ?? null,
    }));
  }

  /**
   * Claims a deploy step for one handler run (`owner`, random per run) with a lease of `leaseMs`
   * in `progress.lease`, judged on PostgreSQL's clock so workers on other machines agree. A RUNNING
   * step is taken over only when its lease has lapsed (the worker died): when Redis loses the job
   * of a deploy that is still running, the reconciler's re-enqueued job must not deploy the host a
   * second time alongside it. The journal's `progress || {journal}` updates keep the lease key.
   */
  public async claimDeploy(stepId: string, owner: string, leaseMs: number): Promise<boolean> {
    const count = await this.db.$executeRaw`
      UPDATE "PlanStep"
         SET "state" = 'RUNNING'::"StepState", "attempts" = "attempts" + 1,
             "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now(),
             progress = COALESCE(progress, '{}'::jsonb) || jsonb_build_object('lease', jsonb_build_object('owner', ${owner}::text, 'until', ${LEASE_UNTIL(leaseMs)}))
       WHERE "id" = ${stepId}::uuid
         AND ("state" = 'QUEUED'::"StepState"
              OR ("state" = 'RUNNING'::"StepState" AND COALESCE((progress->'lease'->>'until')::bigint, 0) < ${NOW_MS}))`;
    return count === 1;
  }

  /** Extends the lease while `owner` still holds it; false when it was lost (lapsed and taken over). */
  public async renewDeployLease(stepId: string, owner: string, leaseMs: number): Promise<boolean> {
    const count = await this.db.$executeRaw`
      UPDATE "PlanStep"
         SET progress = progress || jsonb_build_object('lease', jsonb_build_object('owner', ${owner}::text, 'until', ${LEASE_UNTIL(leaseMs)}))
       WHERE "id" = ${stepId}::uuid AND "state" = 'RUNNING'::"StepState" AND progress->'lease'->>'owner' = ${owner}::text`;
    return count === 1;
  }

  /** Gives the lease up (a retryable failure: BullMQ's next attempt claims at once). */
  public async releaseDeployLease(stepId: string, owner: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "PlanStep" SET progress = progress - 'lease'
       WHERE "id" = ${stepId}::uuid AND progress->'lease'->>'owner' = ${owner}::text`;
  }

  /** Steps of the plan a live handler holds: the reconciler leaves them alone whatever Redis says. */
  public async leasedStepIds(planId: string): Promise<Set<string>> {
    const rows = await this.db.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM "PlanStep"
       WHERE "planId" = ${planId}::uuid AND "state" = 'RUNNING'::"StepState"
         AND COALESCE((progress->'lease'->>'until')::bigint, 0) >= ${NOW_MS}`;
    return new Set(rows.map((r) => r.id));
  }

  /** Records why the rollout stopped (failure ratio) in `Plan.detail.stopped`. */
  public async noteStopped(planId: string, reason: string, at: Date): Promise<void> {
    const stopped = JSON.stringify({ reason, at: at.toISOString() });
    await this.db.$executeRaw`
      UPDATE "Plan" SET detail = COALESCE(detail, '{}'::jsonb) || jsonb_build_object('stopped', ${stopped}::jsonb)
       WHERE id = ${planId}::uuid`;
  }

  /**
   * Merges one deploy step's result into the step's journal (`progress.journal[step]`) with a
   * single UPDATE, so it is durable when it returns and a concurrent record of another deploy
   * step cannot overwrite it.
   */
  public async recordJournal(stepId: string, deployStep: string, result: unknown, summary: string): Promise<void> {
    const value = JSON.stringify(result);
    await this.db.$executeRaw`
      UPDATE "PlanStep"
         SET progress = COALESCE(progress, '{}'::jsonb)
                        || jsonb_build_object('journal', COALESCE(progress->'journal', '{}'::jsonb) || jsonb_build_object(${deployStep}::text, ${value}::jsonb)),
             output = ${`${deployStep}: ${summary}`},
             "updatedAt" = now()
       WHERE id = ${stepId}::uuid`;
  }
}
