import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { type LastShutdownMeasurement } from '@nutfleet/power';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { hostsTakenDown, measureShutdown } from './shutdown-measurement';

export interface RestartContext {
  /** The shutdown plan the restart follows (latest armed one that took hosts down). */
  readonly shutdownPlanId?: string;
  /** Hosts that were up before the outage: the ones that shutdown took down. */
  readonly upBeforeOutage: ReadonlySet<string>;
  readonly lastShutdown?: LastShutdownMeasurement;
}

/** Reads from the shutdown history who was up before the outage and what the shutdown took. */
@Injectable()
export class RestartContextLoader {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
  ) {}

  /** From one shutdown plan, or from the latest finished armed one when none is named. */
  public async load(shutdownPlanId?: string): Promise<RestartContext> {
    const plan = await this.store.reads.latestShutdownThatTookHostsDown(shutdownPlanId);
    if (!plan) return { upBeforeOutage: new Set() };
    const records = await this.store.reads.powerOffSteps(plan.id);
    const taken = hostsTakenDown(records);
    const feeds = await this.prisma.powerFeed.findMany({
      where: { hostId: { in: taken } },
      select: { hostId: true, upsId: true },
    });
    const lastShutdown = measureShutdown((plan.startedAt ?? plan.createdAt).getTime(), records, feeds);
    return { shutdownPlanId: plan.id, upBeforeOutage: new Set(taken), ...(lastShutdown ? { lastShutdown } : {}) };
  }
}
