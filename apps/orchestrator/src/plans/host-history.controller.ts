import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { PrismaService } from '@nutfleet/db';

import { RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { uuidPipe } from '../http/uuid.pipe';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { hostPlanView } from './host-history';
import { HostHistoryDto } from './host-history.dto';

const PLANS = 50;
const EVENTS = 100;

/** A host's history for its page: the plans it was part of and the changes made to it. */
@ApiTags('hosts')
@Controller('hosts')
export class HostHistoryController {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
  ) {}

  @Get(':id/history')
  @RequireRole('viewer')
  @ApiOperation({
    summary: `The host's last ${PLANS} plans (its own steps and outcome in each) and last ${EVENTS} changes made to it`,
  })
  @ApiOkResponse({ type: HostHistoryDto })
  @ApiNotFoundResponse({ description: 'No such host' })
  public async history(@Param('id', uuidPipe('id')) id: string): Promise<HostHistoryDto> {
    const host = await this.prisma.host.findUnique({ where: { id }, select: { id: true } });
    if (host === null) throw ApiError.notFound('host', id);
    const [plans, audit, own] = await Promise.all([
      this.store.reads.plansOfHost(id, PLANS),
      // Only who did what and when: the entries' before/after stay in the admin's audit log.
      this.prisma.auditEntry.findMany({
        where: { resourceType: { in: ['host', 'hosts'] }, resourceId: id },
        orderBy: { id: 'desc' },
        take: EVENTS,
        select: { at: true, actor: true, action: true },
      }),
      this.prisma.hostEvent.findMany({
        where: { hostId: id },
        orderBy: { id: 'desc' },
        take: EVENTS,
        select: { at: true, message: true },
      }),
    ]);
    const events = [
      ...audit.map((e) => ({ at: e.at, who: e.actor, what: e.action })),
      ...own.map((e) => ({ at: e.at, who: 'nutfleet', what: e.message })),
    ]
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, EVENTS);
    return {
      plans: plans.map(hostPlanView),
      events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
    };
  }
}
