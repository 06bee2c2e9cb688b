import { Injectable } from '@nestjs/common';

import { type Artifact, type Plan, type PlanStep, Prisma, PrismaService, type Rollout } from '@nutfleet/db';

import { type RolloutStepView } from './rollout-progress';

export type RolloutWithArtifact = Rollout & { artifact: Artifact | null };

/** Rollout-specific reads and writes; generic step/plan transitions come from PlanRepository. */
@Injectable()
export class RolloutRepository {
  public constructor(private readonly prisma: PrismaService) {}

  public findRollout(planId: string): Promise<RolloutWithArtifact | null> {
    return this.prisma.rollout.findUnique({ where: { planId }, include: { artifact: true } });
  }

  public findStep(stepId: string): Promise<(PlanStep & { plan: Plan & { rollout: RolloutWithArtifact | null } }) | null> {
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

  public unfinishedRolloutPlanIds(): Promise<string[]> {
    return this.prisma.plan
      .findMany({ where: { kind: 'ROLLOUT', state: { in: ['PENDING', 'RUNNING'] } }, select: { id: true }, orderBy: { createdAt: 'asc' } })
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
