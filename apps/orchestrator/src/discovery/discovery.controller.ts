import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type Response } from 'express';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { uuidPipe } from '../http/uuid.pipe';
import { DiscoverFleetDto, DiscoveryQueuedDto, DiscoveryRunDto } from './discovery.dto';
import { DiscoveryService } from './discovery.service';

const uuid = uuidPipe('id');

@ApiTags('discovery')
@Controller()
export class DiscoveryController {
  public constructor(private readonly discovery: DiscoveryService) {}

  @Post('hosts/discover')
  @RequireRole('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Discover many hosts over SSH (all, or those matching the filter); follow it at statusUrl',
    description:
      'Creates a discovery run and queues one job per host. Hosts not trusted yet fail in the run with the reason.',
  })
  @ApiBody({ type: DiscoverFleetDto, required: false })
  @ApiAcceptedResponse({ type: DiscoveryQueuedDto, headers: { Location: { description: 'The run to follow' } } })
  @ApiBadRequestResponse({ description: 'A filter field is invalid' })
  @ApiUnprocessableEntityResponse({ description: 'No host matches the filter' })
  @ApiServiceUnavailableResponse({ description: 'The job queue (Redis) is unreachable' })
  public async discoverFleet(
    @Body() filter: DiscoverFleetDto,
    @Res({ passthrough: true }) res: Response,
    @Audit() audit: AuditContext,
  ): Promise<DiscoveryQueuedDto> {
    const queued = await this.discovery.discoverFleet(filter ?? {}, audit.actor);
    res.setHeader('Location', queued.statusUrl);
    return queued;
  }

  @Post('hosts/:id/discover')
  @RequireRole('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Discover one host over SSH (version, NICs, VMs, autostart, VIB, UserVars...); follow it at statusUrl',
    description: 'A second request while one is pending returns the pending run (alreadyPending: true).',
  })
  @ApiAcceptedResponse({ type: DiscoveryQueuedDto, headers: { Location: { description: 'The run to follow' } } })
  @ApiNotFoundResponse({ description: 'No such host' })
  @ApiServiceUnavailableResponse({ description: 'The job queue (Redis) is unreachable' })
  public async discoverHost(
    @Param('id', uuid) id: string,
    @Res({ passthrough: true }) res: Response,
    @Audit() audit: AuditContext,
  ): Promise<DiscoveryQueuedDto> {
    const queued = await this.discovery.discoverHost(id, audit.actor);
    res.setHeader('Location', queued.statusUrl);
    return queued;
  }

  @Get('discovery-runs/:id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Progress of a discovery run: total, done, failed, and each failed host with its error' })
  @ApiOkResponse({ type: DiscoveryRunDto })
  @ApiNotFoundResponse({ description: 'No such run' })
  public run(@Param('id', uuid) id: string): Promise<DiscoveryRunDto> {
    return this.discovery.run(id);
  }
}
