import { Injectable } from '@nestjs/common';

import { type Artifact, type Plan, type PlanStep, Prisma, PrismaService, type Rollout } from '@nutfleet/db';

import { type RolloutStepView } from './rollout-progress';

/** PostgreSQL's clock in epoch milliseconds, and a lease end from it. */
const NOW_MS = Prisma.sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
const LEASE_UNTIL = (leaseMs: number): Prisma.Sql =>
  Prisma.sql`((extract(epoch from clock_timestamp()) * 1000)::bigint + ${Math.round(leaseMs)}::bigint)`;

export type RolloutWithArtifact = Rollout & { artifact: Artifact | null };

/** Rollout-specific reads and writes; generic step/plan transitions come from PlanRepository. */
@Injectable()
export class RolloutRepository {
  public constructor(private readonly prisma: PrismaService) {}

  public findRollout(planId: string): Promise<RolloutWithArtifact | null> {
    return this.prisma.rollout.findUnique({ where: { planId }, include: { artifact: true } });
  }

  public findStep(
    stepId: string,
  ): Promise<(PlanStep & { plan: Plan & { rollout: RolloutWithArtifact | null } }) | null> {
    return this.prisma.planStep.findUnique({
      where: { id: stepId },
      include: { plan: { include: { rollout: { include: { artifact: true } } } } },
    });
  }

  public async stepViews(planId: string): Promise<RolloutStepView[]> {
    const rows = await this.prisma.planStep.findMany({
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
    const count = await this.prisma.$executeRaw`
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
    const count = await this.prisma.$executeRaw`
      UPDATE "PlanStep"
         SET progress = progress || jsonb_build_object('lease', jsonb_build_object('owner', ${owner}::text, 'until', ${LEASE_UNTIL(leaseMs)}))
       WHERE "id" = ${stepId}::uuid AND "state" = 'RUNNING'::"StepState" AND progress->'lease'->>'owner' = ${owner}::text`;
    return count === 1;
  }

  /** Gives the lease up (a retryable failure: BullMQ's next attempt claims at once). */
  public async releaseDeployLease(stepId: string, owner: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE "PlanStep" SET progress = progress - 'lease'
       WHERE "id" = ${stepId}::uuid AND progress->'lease'->>'owner' = ${owner}::text`;
  }

  /** Steps of the plan a live handler holds: the reconciler leaves them alone whatever Redis says. */
  public async leasedStepIds(planId: string): Promise<Set<string>> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM "PlanStep"
       WHERE "planId" = ${planId}::uuid AND "state" = 'RUNNING'::"StepState"
         AND COALESCE((progress->'lease'->>'until')::bigint, 0) >= ${NOW_MS}`;
    return new Set(rows.map((r) => r.id));
  }

  public unfinishedRolloutPlanIds(): Promise<string[]> {
    return this.prisma.plan
      .findMany({
        where: { kind: 'ROLLOUT', state: { in: ['PENDING', 'RUNNING'] } },
        select: { id: true },
        orderBy: { createdAt: 'asc' },
      })
      .then((rows) => rows.map((r) => r.id));
  }

  /** Records why the rollout stopped (failure ratio) in `Plan.detail.stopped`. */
  public async noteStopped(planId: string, reason: string, at: Date): Promise<void> {
    const stopped = JSON.stringify({ reason, at: at.toISOString() });
    await this.prisma.$executeRaw`
      UPDATE "Plan" SET detail = COALESCE(detail, '{}'::jsonb) || jsonb_build_object('stopped', ${stopped}::jsonb)
       WHERE id = ${planId}::uuid`;
  }

  public async nutServerPassword(nutServerId: string): Promise<{ id: string; passwordEnc: string | null } | null> {
    return this.prisma.nutServer.findUnique({ where: { id: nutServerId }, select: { id: true, passwordEnc: true } });
  }

  /** Plain JSON for a PlanStep column. */
  public static json(value: unknown): Prisma.InputJsonValue {
    return value as Prisma.InputJsonValue;
  }
}
