import { Injectable, NotFoundException } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { type HostPowerObservation, type HostPowerRecord, isLeftOff } from '@nutfleet/plan';

import { type AuditContext, AuditService } from '../audit/audit.service';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { type HostPowerDto } from './host-power.dto';

/** An operator's decisions about a host's power: leave it off, or let restarts wake it again. */
@Injectable()
export class HostPowerService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly audit: AuditService,
  ) {}

  public leaveOff(hostId: string, audit: AuditContext): Promise<HostPowerDto> {
    return this.decide(hostId, audit, 'host.power.leave-off', { kind: 'left-off', at: new Date(), by: audit.actor });
  }

  public allowWake(hostId: string, audit: AuditContext): Promise<HostPowerDto> {
    return this.decide(hostId, audit, 'host.power.allow-wake', {
      kind: 'wake-allowed',
      at: new Date(),
      by: audit.actor,
    });
  }

  private async decide(
    hostId: string,
    audit: AuditContext,
    action: string,
    observation: HostPowerObservation,
  ): Promise<HostPowerDto> {
    const before = await this.store.hostPower.current(hostId);
    if (before === undefined) throw new NotFoundException(`no host ${hostId}`);
    const after = (await this.store.hostPower.observe(hostId, observation)) ?? before;
    await this.audit.record(this.prisma, audit, {
      action,
      resourceType: 'host',
      resourceId: hostId,
      before: hostPowerView(before),
      after: hostPowerView(after),
    });
    return hostPowerView(after);
  }
}

export function hostPowerView(record: HostPowerRecord): HostPowerDto {
  return {
    state: record.state,
    since: record.since?.toISOString() ?? null,
    source: record.source,
    planId: record.planId,
    wakeAfterOutage: record.wakeAfterOutage,
    leftOff: isLeftOff(record),
  };
}
