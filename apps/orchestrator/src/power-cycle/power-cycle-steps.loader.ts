import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { upsPowerCycleSettings } from '@nutfleet/plan';
import { planPowerCycleSteps, type PowerCycleStepPlan, type PowerFeed, type ShutdownPlan } from '@nutfleet/power';

export type PowerCycleStepRow = PowerCycleStepPlan & { readonly upsAddress: string };

/** A whole number of seconds from a UPS variable, else undefined (unreadable or absent). */
function seconds(variables: unknown, name: string): number | undefined {
  if (typeof variables !== 'object' || variables === null) return undefined;
  const value = Number((variables as Record<string, unknown>)[name]);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads the power-cycle settings of the UPSes feeding a plan's hosts and places their steps. */
@Injectable()
export class PowerCycleStepsLoader {
  public constructor(private readonly prisma: PrismaService) {}

  public async plan(
    built: ShutdownPlan,
    hostIds: readonly string[],
    feeds: readonly PowerFeed[],
  ): Promise<PowerCycleStepRow[]> {
    const wanted = new Set(hostIds);
    const planFeeds = feeds.filter((f) => wanted.has(f.hostId));
    const upsIds = [...new Set(planFeeds.map((f) => f.upsId))];
    if (upsIds.length === 0) return [];
    const rows = await this.prisma.ups.findMany({
      where: { id: { in: upsIds }, powerCycleAction: { not: 'none' } },
      include: { nutServer: { select: { name: true } } },
    });
    const addresses = new Map(rows.map((r) => [r.id, `${r.name}@${r.nutServer.name}`]));
    return planPowerCycleSteps(
      built,
      rows.map((row) => {
        const shutdownDelay = seconds(row.variables, 'ups.delay.shutdown');
        const startDelay = seconds(row.variables, 'ups.delay.start');
        return {
          upsId: row.id,
          settings: upsPowerCycleSettings(row),
          hostIds: planFeeds.filter((f) => f.upsId === row.id).map((f) => f.hostId),
          ...(shutdownDelay === undefined ? {} : { upsShutdownDelaySeconds: shutdownDelay }),
          ...(startDelay === undefined ? {} : { upsStartDelaySeconds: startDelay }),
          ...(row.nutPrimaryHostSyncSeconds === null ? {} : { primaryHostSyncSeconds: row.nutPrimaryHostSyncSeconds }),
        };
      }),
    ).map((step) => ({ ...step, upsAddress: addresses.get(step.upsId) ?? step.upsId }));
  }
}
