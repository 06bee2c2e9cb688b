import { Controller, DefaultValuePipe, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { uuidPipe } from '../http/uuid.pipe';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { CurrentOutageDto, OutageDto, toOutageDto } from './outage.dto';

@ApiTags('outages')
@Controller('outages')
export class OutagesController {
  public constructor(private readonly store: OrchestratorPlanStore) {}

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Outages, newest first' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: OutageDto, isArray: true })
  public async list(@Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number): Promise<OutageDto[]> {
    return (await this.store.outages.list(Math.min(Math.max(limit, 1), 500))).map(toOutageDto);
  }

  @Get('current')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'What is under way now: the outage not closed yet and the shutdown or restart plans running (the banner)',
  })
  @ApiOkResponse({ type: CurrentOutageDto })
  public async current(): Promise<CurrentOutageDto> {
    const [outage, running] = await Promise.all([
      this.store.outages.current(),
      this.store.reads.list(20, { kinds: ['SHUTDOWN', 'RESTART'], states: ['PENDING', 'RUNNING'] }),
    ]);
    return { outage: outage === null ? null : toOutageDto(outage), runningPlanIds: running.map((r) => r.plan.id) };
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'One outage' })
  @ApiOkResponse({ type: OutageDto })
  @ApiNotFoundResponse({ description: 'No such outage' })
  public async get(@Param('id', uuidPipe('id')) id: string): Promise<OutageDto> {
    const row = await this.store.outages.find(id);
    if (row === null) throw ApiError.notFound('outage', id);
    return toOutageDto(row);
  }
}
