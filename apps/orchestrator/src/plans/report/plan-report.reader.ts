import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { buildPlanReport, type PlanReport, type ReportPowerEventInput } from '@nutfleet/plan';

import { OrchestratorPlanStore } from '../../plan-store/plan-store.module';
import { upsAddress } from '../../notifications/ups-context';

/** UPS events and samples this long before a plan started belong to its story (what triggered it). */
const LEAD_IN_MS = 5 * 60 * 1000;
/** Bounds what one report reads: hours of sub-second samples are summarised by their ends anyway. */
const MAX_EVENTS = 2000;
const MAX_SAMPLES = 20_000;

const time = (d: Date | null): number | null => d?.getTime() ?? null;

/** Reads a plan's rows (steps, power events, its UPSes' samples) and builds its report. */
@Injectable()
export class PlanReportReader {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
  ) {}

  public async read(planId: string, now = Date.now()): Promise<PlanReport | null> {
    const plan = await this.store.reads.withSteps(planId);
    if (plan === null) return null;
    const origin = plan.startedAt ?? plan.createdAt;
    const end = plan.finishedAt ?? plan.cancelledAt ?? new Date(now);
    const upsIds = upsIdsOf(plan.detail);
    const from = new Date(origin.getTime() - LEAD_IN_MS);
    const [ups, events, samples] = await Promise.all([
      this.prisma.ups.findMany({
        where: { id: { in: upsIds } },
        select: { id: true, name: true, nutServer: { select: { host: true, port: true } } },
      }),
      this.prisma.powerEvent.findMany({
        where: {
          OR: [
            { planId },
            {
              upsId: { in: upsIds },
              type: { in: ['STATUS_CHANGE', 'COMM_LOST', 'COMM_RESTORED'] },
              receivedAt: { gte: from, lte: end },
            },
          ],
        },
        orderBy: { id: 'asc' },
        take: MAX_EVENTS,
        select: { type: true, upsId: true, status: true, previousStatus: true, observedAt: true, receivedAt: true },
      }),
      this.prisma.upsSample.findMany({
        where: { upsId: { in: upsIds }, at: { gte: from, lte: end } },
        orderBy: { at: 'asc' },
        take: MAX_SAMPLES,
        select: { upsId: true, at: true, charge: true, runtimeSeconds: true },
      }),
    ]);
    const names = new Map(ups.map((u) => [u.id, upsAddress(u)]));
    return buildPlanReport({
      plan: {
        id: plan.id,
        kind: plan.kind,
        mode: plan.mode,
        state: plan.state,
        reason: plan.reason,
        createdBy: plan.createdBy,
        createdAt: plan.createdAt.getTime(),
        startedAt: time(plan.startedAt),
        finishedAt: time(plan.finishedAt),
        cancelledAt: time(plan.cancelledAt),
        cancelledBy: plan.cancelledBy,
        predictedSeconds: plan.predictedSeconds,
        outageId: plan.outageId,
      },
      steps: plan.steps.map((s) => ({
        key: s.key,
        hostId: s.hostId,
        hostName: s.host?.name ?? null,
        action: s.action,
        state: s.state,
        attempts: s.attempts,
        startedAt: time(s.startedAt),
        finishedAt: time(s.finishedAt),
        deadlineAt: time(s.deadlineAt),
        error: s.error,
        detail: s.detail,
      })),
      events: events.map((e): ReportPowerEventInput => ({
        type: e.type,
        upsId: e.upsId,
        upsName: e.upsId === null ? null : (names.get(e.upsId) ?? null),
        status: e.status,
        previousStatus: e.previousStatus,
        at: (e.observedAt ?? e.receivedAt).getTime(),
      })),
      ups: ups.map((u) => ({ id: u.id, name: names.get(u.id) ?? u.name })),
      samples: samples.map((s) => ({
        upsId: s.upsId,
        at: s.at.getTime(),
        charge: s.charge,
        runtimeSeconds: s.runtimeSeconds,
      })),
      now,
    });
  }
}

/** The UPSes a shutdown or restart plan depends on (its detail's `upsIds`); none for a rollout. */
function upsIdsOf(detail: unknown): string[] {
  const ids = typeof detail === 'object' && detail !== null ? (detail as { upsIds?: unknown }).upsIds : undefined;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}
