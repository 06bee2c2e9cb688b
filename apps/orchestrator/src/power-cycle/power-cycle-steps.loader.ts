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
          label: addresses.get(row.id) ?? row.id,
          settings: upsPowerCycleSettings(row),
          hostIds: planFeeds.filter((f) => f.upsId === row.id).map((f) => f.hostId),
          ...(shutdownDelay === undefined ? {} : { upsShutdownDelaySeconds: shutdownDelay }),
          ...(startDelay === undefined ? {} : { upsStartDelaySeconds: startDelay }),
          ...(row.nutPrimaryHostSyncSeconds === null ? {} : { primaryHostSyncSeconds: row.nutPrimaryHostSyncSeconds }),
        };
      }),
    ).map((step) => ({ ...step, upsAddress: addresses.get(step.upsId) ?? step.upsId }));
  }

  /**
   * The preview's view of the same steps: the action with its timing and warnings, and every
   * host the UPS feeds that may boot when its output comes back (a BIOS set to power on after AC
   * loss, which nutfleet cannot read), warning about those an operator left off.
   */
  public async preview(
    built: ShutdownPlan,
    hostIds: readonly string[],
    feeds: readonly PowerFeed[],
  ): Promise<PowerCyclePreview[]> {
    const steps = await this.plan(built, hostIds, feeds);
    if (steps.length === 0) return [];
    const fed = await this.prisma.powerFeed.findMany({
      where: { upsId: { in: steps.map((s) => s.upsId) }, powerValue: { gt: 0 } },
      select: { upsId: true, host: { select: { id: true, name: true, powerState: true, powerStateSource: true } } },
      orderBy: { host: { name: 'asc' } },
    });
    const inPlan = new Set(hostIds);
    return steps.map((step) => {
      const hosts = fed.filter((f) => f.upsId === step.upsId).map((f) => f.host);
      const leftOff = hosts.filter((h) => h.powerState === 'OFF' && (h.powerStateSource ?? '').startsWith('operator'));
      const running = hosts.filter((h) => !inPlan.has(h.id) && h.powerState !== 'OFF');
      return {
        upsId: step.upsId,
        ups: step.upsAddress,
        action: step.action,
        predictedSendSeconds: step.predictedSendSeconds,
        outputOffAt: step.timing.outputOffAt === undefined ? null : new Date(step.timing.outputOffAt).toISOString(),
        timing: step.timing.summary,
        hostNames: [...step.hostNames],
        hostsItMayBoot: step.action === 'shutdown.stayoff' ? [] : hosts.map((h) => h.name),
        warnings: [
          ...step.timing.warnings.map((w) => w.message),
          ...(leftOff.length > 0 && step.action !== 'shutdown.stayoff'
            ? [
                `${step.upsAddress}: ${leftOff.map((h) => h.name).join(', ')} ${leftOff.length === 1 ? 'was' : 'were'} left off by an operator and boot${leftOff.length === 1 ? 's' : ''} with the cycle if set to power on after AC loss`,
              ]
            : []),
          ...(running.length > 0
            ? [
                `${step.upsAddress} also feeds ${running.map((h) => h.name).join(', ')}, which this plan leaves running: the cycle is not sent unless an admin allowed it for this UPS`,
              ]
            : []),
        ],
      };
    });
  }
}

export interface PowerCyclePreview {
  readonly upsId: string;
  readonly ups: string;
  readonly action: string;
  readonly predictedSendSeconds: number;
  readonly outputOffAt: string | null;
  readonly timing: string;
  readonly hostNames: string[];
  readonly hostsItMayBoot: string[];
  readonly warnings: string[];
}
