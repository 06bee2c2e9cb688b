import { Injectable } from '@nestjs/common';

import { type RolloutWithPlan } from '@nutfleet/plan';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { journalEntries } from './deploy-journal.view';
import { type RolloutDetailDto, type RolloutHostDto, type RolloutSummaryDto } from './rollout.dto';

/** Rollouts as the API shows them: the Rollout row, its plan's state, and per-host progress. */
@Injectable()
export class RolloutQueryService {
  public constructor(private readonly store: OrchestratorPlanStore) {}

  public async list(limit: number): Promise<RolloutSummaryDto[]> {
    const rows = await this.store.rollouts.listRollouts(limit);
    const counts = await this.store.rollouts.stepCounts(rows.map((r) => r.planId));
    return rows.map((r) => summary(r, counts.get(r.planId) ?? {}));
  }

  /** By rollout id or its plan id. */
  public async get(id: string): Promise<RolloutDetailDto | null> {
    const row = await this.store.rollouts.findRollout(id);
    if (!row) return null;
    const steps = await this.store.rollouts.hostSteps(row.planId);
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

function summary(r: RolloutWithPlan, counts: Record<string, number>): RolloutSummaryDto {
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
