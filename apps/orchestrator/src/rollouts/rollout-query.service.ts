import { Injectable } from '@nestjs/common';

import { type Artifact, type Plan, PrismaService, type Rollout } from '@nutfleet/db';

import { journalEntries } from './deploy-journal.view';
import { type RolloutDetailDto, type RolloutHostDto, type RolloutSummaryDto } from './rollout.dto';

type RolloutRow = Rollout & { plan: Plan; artifact: Artifact | null };

/** Rollouts as the API shows them: the Rollout row, its plan's state, and per-host progress. */
@Injectable()
export class RolloutQueryService {
  public constructor(private readonly prisma: PrismaService) {}

  public async list(limit: number): Promise<RolloutSummaryDto[]> {
    const rows = await this.prisma.rollout.findMany({
      include: { plan: true, artifact: true },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    const counts = await this.prisma.planStep.groupBy({
      by: ['planId', 'state'],
      where: { planId: { in: rows.map((r) => r.planId) } },
      _count: { _all: true },
    });
    return rows.map((r) => {
      const mine: Record<string, number> = {};
      for (const c of counts) if (c.planId === r.planId) mine[c.state] = c._count._all;
      return summary(r, mine);
    });
  }

  /** By rollout id or its plan id. */
  public async get(id: string): Promise<RolloutDetailDto | null> {
    const row = await this.prisma.rollout.findFirst({
      where: { OR: [{ id }, { planId: id }] },
      include: { plan: true, artifact: true },
    });
    if (!row) return null;
    const steps = await this.prisma.planStep.findMany({
      where: { planId: row.planId },
      include: { host: { select: { name: true } } },
      orderBy: [{ stage: 'asc' }, { sequence: 'asc' }],
    });
    const counts: Record<string, number> = {};
    for (const s of steps) counts[s.state] = (counts[s.state] ?? 0) + 1;
    const hosts: RolloutHostDto[] = steps.map((s) => {
      const detail = (s.detail ?? {}) as { hostName?: string };
      const entries = journalEntries(s.progress, s.detail);
      return {
        stepId: s.id,
        hostId: s.hostId,
        hostName: s.host?.name ?? detail.hostName ?? '?',
        wave: s.stage,
        state: s.state,
        currentStep: entries.at(-1)?.step ?? null,
        steps: entries,
        attempts: s.attempts,
        startedAt: s.startedAt?.toISOString() ?? null,
        finishedAt: s.finishedAt?.toISOString() ?? null,
        output: s.output,
        error: s.error,
      };
    });
    return { ...summary(row, counts), hosts };
  }
}

function summary(r: RolloutRow, counts: Record<string, number>): RolloutSummaryDto {
  const detail = (r.plan.detail ?? {}) as {
    requestedAction?: string;
    waveCount?: number;
    hostCount?: number;
    stopped?: { reason: string };
  };
  return {
    id: r.id,
    planId: r.planId,
    action: detail.requestedAction ?? r.action.toLowerCase(),
    artifactId: r.artifactId,
    artifact: r.artifact ? `${r.artifact.name} ${r.artifact.version}` : null,
    state: r.plan.state,
    target: (r.target ?? {}) as Record<string, unknown>,
    canaryCount: r.canaryCount,
    maxInFlight: r.maxInFlight,
    pauseSeconds: r.pauseSeconds,
    maxFailureRatio: r.maxFailureRatio,
    allowAcceptanceChange: r.allowAcceptanceChange,
    hostCount: detail.hostCount ?? Object.values(counts).reduce((a, b) => a + b, 0),
    waveCount: detail.waveCount ?? 0,
    counts,
    stoppedReason: detail.stopped?.reason ?? null,
    createdBy: r.plan.createdBy,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.plan.startedAt?.toISOString() ?? null,
    finishedAt: r.plan.finishedAt?.toISOString() ?? null,
    cancelledAt: r.plan.cancelledAt?.toISOString() ?? null,
  };
}
