import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { AUTOMATIC_PLAN_CREATOR, isLeftOff, type OutageRow } from '@nutfleet/plan';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { RestartPlanFactory } from '../restart/restart-plan.factory';
import { hostsTakenDown } from '../restart/shutdown-measurement';

/**
 * The restart that ends an outage: it wakes the hosts nutfleet's automatic shutdowns took down
 * and that are still owed a wake (`wakeAfterOutage`: this outage's, and those a paused restart
 * left down) — never a host an operator left off, never a host that was down before.
 */
@Injectable()
export class AutomaticRestart {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly restarts: RestartPlanFactory,
  ) {}

  /** Creates the restart plan and returns its id, or undefined when there is no host to wake. */
  public async afterOutage(outage: OutageRow): Promise<string | undefined> {
    const planIds = await this.store.outages.automaticPlanIds(outage.id);
    const taken = new Set<string>();
    for (const planId of planIds)
      for (const hostId of hostsTakenDown(await this.store.reads.powerOffSteps(planId))) taken.add(hostId);
    const rows = await this.prisma.host.findMany({
      where: { OR: [{ wakeAfterOutage: true }, { id: { in: [...taken] } }] },
      select: { id: true, wakeAfterOutage: true, powerStateSource: true },
    });
    // Owed a wake, or taken down by this outage — never one an operator said to leave off.
    const hostIds = rows.filter((h) => !isLeftOff({ source: h.powerStateSource })).map((h) => h.id);
    if (hostIds.length === 0) return undefined;
    const shutdownPlanId = planIds.at(-1);
    const { planId } = await this.restarts.create({
      hostIds,
      includeHostsDownBeforeOutage: true,
      ...(shutdownPlanId !== undefined ? { shutdownPlanId } : {}),
      mode: 'ARMED',
      reason: `automatic: power back after outage ${outage.id}`,
      createdBy: AUTOMATIC_PLAN_CREATOR,
      targets: { automatic: true, outageId: outage.id },
      dedupKey: `restart-after-outage:${outage.id}`,
      outageId: outage.id,
    });
    return planId;
  }
}
