import { Injectable } from '@nestjs/common';

import { type Drill, PrismaService } from '@nutfleet/db';
import { buildDrillReport, type DrillPlanRows, type DrillReport } from '@nutfleet/plan';

/** Reads a drill's plans and hosts and builds its report (libs/plan buildDrillReport). */
@Injectable()
export class DrillReportLoader {
  public constructor(private readonly prisma: PrismaService) {}

  public async build(drill: Drill, finishedAt: Date, state: string, error: string | null): Promise<DrillReport> {
    const [shutdown, restart, hosts] = await Promise.all([
      this.plan(drill.shutdownPlanId),
      this.plan(drill.restartPlanId),
      this.prisma.host.findMany({ where: { id: { in: drill.hostIds } }, select: { id: true, name: true } }),
    ]);
    const named = new Map(hosts.map((h) => [h.id, h.name]));
    return buildDrillReport({
      drill: {
        id: drill.id,
        kind: drill.kind === 'LIVE' ? 'live' : 'rehearsal',
        groupName: drill.groupName,
        requestedBy: drill.requestedBy,
        state,
        createdAt: drill.createdAt,
        finishedAt,
        error,
      },
      // A host deleted since keeps its place in the report under its id.
      hosts: drill.hostIds.map((id) => ({ id, name: named.get(id) ?? id })),
      shutdown,
      restart,
    });
  }

  private async plan(id: string | null): Promise<DrillPlanRows | null> {
    if (id === null) return null;
    const plan = await this.prisma.plan.findUnique({
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
    return plan;
  }
}
