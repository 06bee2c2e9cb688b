import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { type LastShutdownMeasurement } from '@nutfleet/power';

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
  public constructor(private readonly prisma: PrismaService) {}

  /** From one shutdown plan, or from the latest finished armed one when none is named. */
  public async load(shutdownPlanId?: string): Promise<RestartContext> {
    const plan = await this.prisma.plan.findFirst({
      where: {
        kind: 'SHUTDOWN',
        mode: 'ARMED',
        ...(shutdownPlanId !== undefined
          ? { id: shutdownPlanId }
          : { state: { in: ['SUCCEEDED', 'FAILED', 'CANCELLED'] } }),
        steps: { some: { action: 'host-power-off', OR: [{ state: 'SUCCEEDED' }, { commandSentAt: { not: null } }] } },
      },
      orderBy: { createdAt: 'desc' },
      select: { id: true, startedAt: true, createdAt: true },
    });
    if (!plan) return { upBeforeOutage: new Set() };
    const steps = await this.prisma.planStep.findMany({
      where: { planId: plan.id, action: 'host-power-off', hostId: { not: null } },
      select: { hostId: true, state: true, finishedAt: true, commandSentAt: true },
    });
    const records = steps.map((s) => ({
      hostId: s.hostId ?? '',
      state: s.state,
      finishedAt: s.finishedAt?.getTime() ?? null,
      commandSent: s.commandSentAt !== null,
    }));
    const taken = hostsTakenDown(records);
    const feeds = await this.prisma.powerFeed.findMany({
      where: { hostId: { in: taken } },
      select: { hostId: true, upsId: true },
    });
    const lastShutdown = measureShutdown((plan.startedAt ?? plan.createdAt).getTime(), records, feeds);
    return { shutdownPlanId: plan.id, upBeforeOutage: new Set(taken), ...(lastShutdown ? { lastShutdown } : {}) };
  }
}
