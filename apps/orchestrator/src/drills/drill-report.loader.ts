import { Injectable } from '@nestjs/common';

import { type Drill, PrismaService } from '@nutfleet/db';
import { buildDrillReport, type DrillPlanRows, type DrillReport } from '@nutfleet/plan';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';

/** Reads a drill's plans and hosts and builds its report (libs/plan buildDrillReport). */
@Injectable()
export class DrillReportLoader {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
  ) {}

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

  private plan(id: string | null): Promise<DrillPlanRows | null> {
    return id === null ? Promise.resolve(null) : this.store.reads.drillPlanRows(id);
  }
}
