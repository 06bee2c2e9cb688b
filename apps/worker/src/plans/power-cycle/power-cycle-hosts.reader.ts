import { type PrismaService } from '@nutfleet/db';
import { type StepState } from '@nutfleet/plan';
import { type PowerCycleHost } from '@nutfleet/power';

export interface FedHost extends Omit<PowerCycleHost, 'sshAnswers'> {
  /** The host's access row id for SSH probes. */
  readonly hostId: string;
}

/**
 * Every host the UPS feeds (power value above 0: a watched-only feed powers nothing), as this
 * plan sees it now: in the plan when its power-off step is neither cancelled nor skipped (power
 * back before the point of no return, or its steps handed to another plan), down once that step
 * succeeded. Read at every evaluation, so hosts a later extension added count too.
 */
/** Where the host power-off steps come from (the plan store's execution part). */
export interface PowerOffStepSource {
  hostPowerOffSteps(
    planId: string,
    hostIds: readonly string[],
  ): Promise<Array<{ hostId: string; state: StepState; deadlineAt: Date | null }>>;
}

export async function readFedHosts(
  prisma: PrismaService,
  steps: PowerOffStepSource,
  planId: string,
  upsId: string,
): Promise<FedHost[]> {
  const feeds = await prisma.powerFeed.findMany({
    where: { upsId, powerValue: { gt: 0 } },
    select: { host: { select: { id: true, name: true } } },
    orderBy: { host: { name: 'asc' } },
  });
  const hostIds = feeds.map((f) => f.host.id);
  const byHost = new Map((await steps.hostPowerOffSteps(planId, hostIds)).map((s) => [s.hostId, s]));
  return feeds.map(({ host }) => {
    const step = byHost.get(host.id);
    const inPlan = step !== undefined && step.state !== 'CANCELLED' && step.state !== 'SKIPPED';
    return {
      hostId: host.id,
      name: host.name,
      inPlan,
      state: step?.state === 'SUCCEEDED' ? 'down' : 'not-down',
      ...(step?.deadlineAt ? { deadlineAt: step.deadlineAt.getTime() } : {}),
    };
  });
}
