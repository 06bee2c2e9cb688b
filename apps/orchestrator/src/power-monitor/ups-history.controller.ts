import { Controller, DefaultValuePipe, Get, Inject, Param, ParseIntPipe, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';

import { APP_CONFIG, type AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { downsampleUpsSamples } from '@nutfleet/power';

import { RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { uuidPipe } from '../http/uuid.pipe';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { UpsHistoryDto } from './ups-history.dto';

const DAY_MS = 24 * 3600 * 1000;
const MAX_POINTS = 2000;
/** Samples read for one chart at most: a window longer than this is cut to its newest samples' span. */
const MAX_SAMPLES = 200_000;

function instant(value: string | undefined, fallback: number, field: string): number {
  if (value === undefined || value === '') return fallback;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) throw ApiError.fields(400, [{ field, reason: 'must be an ISO-8601 time or epoch ms' }]);
  return t;
}

/** A UPS's recorded figures over time for its charts, with its outages to mark on them. */
@ApiTags('power')
@Controller('upses')
export class UpsHistoryController {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':id/history')
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      'Battery charge, runtime, load and input voltage of a UPS over [from, to) (default: the last 24 h), at most `points` points, with its outages',
    description:
      'Every sample as recorded while they are no more than `points`, else equal time buckets averaged. The window may span at most the sample retention (UPS_SAMPLE_RETENTION_DAYS).',
  })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601 or epoch ms; default to − 24 h' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601 or epoch ms; default now' })
  @ApiQuery({
    name: 'points',
    required: false,
    schema: { type: 'integer', minimum: 10, maximum: MAX_POINTS, default: 600 },
  })
  @ApiOkResponse({ type: UpsHistoryDto })
  @ApiBadRequestResponse({ description: 'from/to unreadable, inverted, or further apart than the retention' })
  @ApiNotFoundResponse({ description: 'No such UPS' })
  public async history(
    @Param('id', uuidPipe('id')) id: string,
    @Query('from') fromText?: string,
    @Query('to') toText?: string,
    @Query('points', new DefaultValuePipe(600), ParseIntPipe) points = 600,
  ): Promise<UpsHistoryDto> {
    const to = instant(toText, Date.now(), 'to');
    const from = instant(fromText, to - DAY_MS, 'from');
    if (from >= to) throw ApiError.fields(400, [{ field: 'from', reason: 'must be before to' }]);
    if (to - from > this.config.upsSampleRetentionDays * DAY_MS + DAY_MS)
      throw ApiError.fields(400, [
        {
          field: 'from',
          reason: `the window may span at most ${this.config.upsSampleRetentionDays} days (the retention)`,
        },
      ]);
    const ups = await this.prisma.ups.findUnique({ where: { id }, select: { id: true, name: true } });
    if (ups === null) throw ApiError.notFound('UPS', id);
    const rows = await this.prisma.upsSample.findMany({
      where: { upsId: id, at: { gte: new Date(from), lt: new Date(to) } },
      orderBy: { at: 'desc' },
      take: MAX_SAMPLES,
      select: { at: true, status: true, charge: true, runtimeSeconds: true, load: true, inputVoltage: true },
    });
    const samples = rows.map((r) => ({ ...r, at: r.at.getTime() }));
    const outages = await this.store.outages.ofUpsBetween(id, new Date(from), new Date(to), 500);
    return {
      upsId: ups.id,
      name: ups.name,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      sampleCount: samples.length,
      points: downsampleUpsSamples(samples, from, to, Math.min(Math.max(points, 10), MAX_POINTS)),
      outages: outages.map((o) => ({
        id: o.id,
        openedAt: o.openedAt.toISOString(),
        closedAt: o.closedAt?.toISOString() ?? null,
        state: o.state,
      })),
    };
  }
}
