import { Injectable } from '@nestjs/common';

import { type Plan, PrismaService } from '@nutfleet/db';
import { type PlanKind, planBatteryRuntimeSeconds, type PlanState, planStepNames } from '@nutfleet/plan';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { type PlanDetailDto, type PlanSummaryDto } from './plan.dto';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** Reads plans with their progress and timeline for the API. */
@Injectable()
export class PlanQueryService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
  ) {}

  public async list(limit: number, state?: PlanState, kinds?: readonly PlanKind[]): Promise<PlanSummaryDto[]> {
    const rows = await this.store.reads.list(limit, { ...(state ? { state } : {}), ...(kinds ? { kinds } : {}) });
    return rows.map(({ plan, progress }) => summary(plan, progress));
  }

  public async get(id: string): Promise<PlanDetailDto | null> {
    const plan = await this.store.reads.withSteps(id);
    if (!plan) return null;
    const events = await this.prisma.powerEvent.findMany({ where: { planId: id }, orderBy: { id: 'asc' }, take: 1000 });
    const progress: Record<string, number> = {};
    for (const s of plan.steps) progress[s.state] = (progress[s.state] ?? 0) + 1;
    return {
      ...summary(plan, progress),
      targets: plan.targets,
      detail: plan.detail,
      batteryRuntimeSeconds: planBatteryRuntimeSeconds(plan.detail),
      steps: plan.steps.map((s) => ({
        id: s.id,
        key: s.key,
        hostId: s.hostId,
        ...planStepNames(s),
        action: s.action,
        stage: s.stage,
        sequence: s.sequence,
        state: s.state,
        attempts: s.attempts,
        dependsOn: s.dependsOn,
        deadlineAt: iso(s.deadlineAt),
        startedAt: iso(s.startedAt),
        finishedAt: iso(s.finishedAt),
        commandSentAt: iso(s.commandSentAt),
        output: s.output,
        error: s.error,
        detail: s.detail,
      })),
      events: events.map((e) => ({
        id: e.id.toString(),
        type: e.type,
        upsId: e.upsId,
        status: e.status,
        data: e.data,
        at: (e.observedAt ?? e.receivedAt).toISOString(),
      })),
    };
  }
}

function summary(p: Plan, progress: Record<string, number>): PlanSummaryDto {
  return {
    id: p.id,
    kind: p.kind,
    mode: p.mode,
    state: p.state,
    reason: p.reason,
    dedupKey: p.dedupKey,
    predictedSeconds: p.predictedSeconds,
    pointOfNoReturnAt: iso(p.pointOfNoReturnAt),
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
    startedAt: iso(p.startedAt),
    finishedAt: iso(p.finishedAt),
    cancelledAt: iso(p.cancelledAt),
    cancelledBy: p.cancelledBy,
    outageId: p.outageId,
    progress,
  };
}
