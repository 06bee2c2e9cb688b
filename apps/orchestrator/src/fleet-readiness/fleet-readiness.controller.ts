import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { FleetReadinessDto } from './fleet-readiness.dto';
import { FleetReadinessService } from './fleet-readiness.service';

@ApiTags('fleet')
@Controller('fleet')
export class FleetReadinessController {
  public constructor(
    private readonly readiness: FleetReadinessService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('readiness')
  @ApiOperation({
    summary: 'Fleet readiness: will the next outage go well? Scores per host, group and fleet',
    description:
      'Each host is checked once per FLEET_READINESS_INTERVAL_SECONDS (SSH with the pinned key and stored ' +
      'credentials, ESXi answering, NutClient in sync, the host-side upsc, VM Tools, autostart, Wake-on-LAN, ' +
      'battery runtime against the plan, its NUT servers). A host scores the share of its checks that pass.',
  })
  @ApiOkResponse({ type: FleetReadinessDto })
  public async get(): Promise<FleetReadinessDto> {
    const view = await this.readiness.current();
    return {
      score: view.score,
      threshold: this.config.fleetReadiness.alertThreshold,
      hosts: view.hosts.map((h) => ({
        hostId: h.hostId,
        hostName: view.hostNames.get(h.hostId) ?? h.hostId,
        groupId: h.groupId,
        score: h.score,
        checks: h.checks.map((c) => ({
          code: c.code,
          ok: c.ok,
          message: c.message,
          checkedAt: new Date(c.checkedAt).toISOString(),
        })),
      })),
      groups: view.groups.map((g) => ({
        groupId: g.groupId,
        group: g.groupId === null ? null : (view.groupNames.get(g.groupId) ?? null),
        score: g.score,
        hosts: g.hostCount,
        failingHosts: g.failingHostCount,
      })),
      generatedAt: new Date().toISOString(),
    };
  }
}
