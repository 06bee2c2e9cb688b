import { Body, Controller, DefaultValuePipe, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { type Response } from 'express';

import { type Drill, PrismaService } from '@nutfleet/db';
import { type DrillReport } from '@nutfleet/plan';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { uuidPipe } from '../http/uuid.pipe';
import { HostsHeldError } from '../plans/plan-factory.service';
import { DrillGroupNotFoundError, DrillRefusedError } from './drill-errors';
import { drillReportHtml } from './drill-report.html';
import { DrillDto, DrillReportDto, StartDrillDto } from './drill.dto';
import { DrillService } from './drill.service';

const uuid = uuidPipe('id');

function toDto(d: Drill): DrillDto {
  return {
    id: d.id,
    kind: d.kind === 'LIVE' ? 'live' : 'rehearsal',
    state: d.state,
    groupId: d.groupId,
    groupName: d.groupName,
    hostIds: d.hostIds,
    requestedBy: d.requestedBy,
    reason: d.reason,
    shutdownPlanId: d.shutdownPlanId,
    restartPlanId: d.restartPlanId,
    createdAt: d.createdAt.toISOString(),
    finishedAt: d.finishedAt?.toISOString() ?? null,
    error: d.error,
    yieldedTo: d.yieldedTo,
    reportReady: d.report !== null,
  };
}

@ApiTags('drills')
@Controller('drills')
export class DrillsController {
  public constructor(
    private readonly drills: DrillService,
    private readonly prisma: PrismaService,
  ) {}

  @Post()
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Start a drill of a test group: a read-only rehearsal, or a live shutdown and Wake-on-LAN restart',
    description:
      'rehearsal: the group’s shutdown plan as a dry-run over the real SSH transport, each step timed and compared with ' +
      'the plan’s prediction. live: an armed shutdown of the group’s hosts (refused for hosts outside the group; ' +
      '`confirm` must be the group’s name), then the Wake-on-LAN restart plan with its gates. Both are refused while a ' +
      'real outage is open, and yield to one that begins (their plans are cancelled, the drill ends YIELDED). ' +
      'Each ends in a report (GET /drills/:id/report).',
  })
  @ApiCreatedResponse({ type: DrillDto })
  @ApiBadRequestResponse({ description: 'Hosts outside the group, an empty group, a missing or wrong confirmation' })
  @ApiNotFoundResponse({ description: 'No such group' })
  @ApiConflictResponse({
    description: 'A real outage is open, a drill runs on these hosts, or an armed plan holds them',
  })
  public async start(@Body() dto: StartDrillDto, @Audit() audit: AuditContext): Promise<DrillDto> {
    try {
      return toDto(await this.drills.start(dto, audit));
    } catch (error) {
      if (error instanceof DrillGroupNotFoundError) throw ApiError.notFound('group', error.group);
      if (error instanceof HostsHeldError) throw ApiError.conflict('group', error.message);
      if (error instanceof DrillRefusedError) {
        if (error.conflicting) throw ApiError.conflict('group', error.message);
        throw ApiError.badRequest(
          error.message,
          error.refusals.map((r) => ({
            field: r.code.startsWith('CONFIRMATION') ? 'confirm' : r.code === 'HOST_NOT_IN_GROUP' ? 'hosts' : 'group',
            reason: r.message,
          })),
        );
      }
      throw error;
    }
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Drills, newest first' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: DrillDto, isArray: true })
  public async list(@Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number): Promise<DrillDto[]> {
    const rows = await this.prisma.drill.findMany({
      orderBy: { createdAt: 'desc' },
      take: Math.min(Math.max(limit, 1), 500),
    });
    return rows.map(toDto);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'A drill: its state, plans and whether its report is ready' })
  @ApiOkResponse({ type: DrillDto })
  @ApiNotFoundResponse({ description: 'No such drill' })
  public async get(@Param('id', uuid) id: string): Promise<DrillDto> {
    return toDto(await this.find(id));
  }

  @Get(':id/report')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'A finished drill’s report: per host, predicted vs measured duration of each step, what failed and why',
    description: '`format=html` answers one printable page instead of JSON.',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'html'] })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: DrillReportDto })
  @ApiNotFoundResponse({ description: 'No such drill' })
  @ApiConflictResponse({ description: 'The drill is still running: no report yet' })
  public async report(
    @Param('id', uuid) id: string,
    @Res() res: Response,
    @Query('format') format?: string,
  ): Promise<void> {
    if (format !== undefined && format !== 'json' && format !== 'html')
      throw ApiError.badRequest('format must be json or html', [{ field: 'format', reason: 'must be json or html' }]);
    const drill = await this.find(id);
    if (drill.report === null) throw ApiError.conflict('state', `the drill is still ${drill.state}: no report yet`);
    const report = drill.report as unknown as DrillReport;
    if (format === 'html') {
      res.type('text/html; charset=utf-8').send(drillReportHtml(report));
      return;
    }
    res.json(report);
  }

  private async find(id: string): Promise<Drill> {
    const drill = await this.prisma.drill.findUnique({ where: { id } });
    if (drill === null) throw ApiError.notFound('drill', id);
    return drill;
  }
}
