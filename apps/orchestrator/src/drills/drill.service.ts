import { Injectable } from '@nestjs/common';

import { type Drill, type Prisma, PrismaService } from '@nutfleet/db';
import { type DrillKindName, drillEligibility } from '@nutfleet/plan';

import { type AuditContext, AuditService } from '../auth';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { PlanFactory } from '../plans/plan-factory.service';
import { DrillGroupNotFoundError, DrillRefusedError } from './drill-errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StartDrillInput {
  readonly kind: DrillKindName;
  /** Group id or name. */
  readonly group: string;
  /** Host ids or names, all in the group; absent: the whole group. */
  readonly hosts?: readonly string[];
  readonly confirm?: string;
  readonly reason?: string;
}

/** `Drill.kind` from the API's name. */
const KIND = { rehearsal: 'REHEARSAL', live: 'LIVE' } as const;

/**
 * Starts drills. A rehearsal is the group's shutdown plan made as a dry-run (every read-only
 * step over the real SSH transport, timed by the worker step by step); a live drill is the
 * group's armed shutdown plan, holding its hosts like any armed plan, followed by a Wake-on-LAN
 * restart plan (DrillSupervisor). Both are refused during a real outage.
 */
@Injectable()
export class DrillService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly plans: PlanFactory,
    private readonly audit: AuditService,
  ) {}

  public async start(input: StartDrillInput, ctx: AuditContext): Promise<Drill> {
    const group = await this.prisma.hostGroup.findFirst({
      where: UUID.test(input.group) ? { OR: [{ id: input.group }, { name: input.group }] } : { name: input.group },
      select: { id: true, name: true, hosts: { select: { id: true, name: true } } },
    });
    if (group === null) throw new DrillGroupNotFoundError(input.group);
    const byName = new Map(group.hosts.map((h) => [h.name, h.id]));
    const requestedHostIds = input.hosts?.map((h) => byName.get(h) ?? h);
    const groupHostIds = group.hosts.map((h) => h.id);
    const [outage, running] = await Promise.all([
      this.store.outages.current(),
      this.prisma.drill.findMany({
        where: { state: 'RUNNING', hostIds: { hasSome: requestedHostIds ?? groupHostIds } },
        select: { id: true },
      }),
    ]);
    const eligibility = drillEligibility({
      kind: input.kind,
      group,
      groupHostIds,
      ...(requestedHostIds !== undefined ? { requestedHostIds } : {}),
      ...(input.confirm !== undefined ? { confirm: input.confirm } : {}),
      outageOpen: outage,
      runningDrillIds: running.map((d) => d.id),
    });
    if (!eligibility.ok) throw new DrillRefusedError(eligibility.refusals);
    const hostIds = [...eligibility.hostIds];
    const id = crypto.randomUUID();
    const live = input.kind === 'live';
    // The plan is made first: a live drill's hosts held by another armed plan refuse it (HostsHeldError).
    const { planId } = await this.plans.create({
      hostIds,
      mode: live ? 'ARMED' : 'DRY_RUN',
      exclusive: live,
      reason: `${input.kind} drill ${id} of group ${group.name}${input.reason !== undefined ? `: ${input.reason}` : ''}`,
      createdBy: ctx.actor,
      targets: { hosts: hostIds },
    });
    const data: Prisma.DrillCreateInput = {
      id,
      kind: KIND[input.kind],
      groupId: group.id,
      groupName: group.name,
      hostIds,
      requestedBy: ctx.actor,
      shutdownPlanId: planId,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    };
    return this.prisma.$transaction(async (tx) => {
      const drill = await tx.drill.create({ data });
      await this.audit.record(tx, ctx, {
        action: `drill.start.${input.kind}`,
        resourceType: 'drill',
        resourceId: id,
        after: { kind: input.kind, group: group.name, hostIds, shutdownPlanId: planId },
      });
      return drill;
    });
  }
}
