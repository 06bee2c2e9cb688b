import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireRole } from '../auth/require-role.decorator';
import { ApiError } from '../http/api-error';
import { UpsLiveDto } from './power-monitor.dto';
import { UpsLiveStateService } from './ups-live-state.service';
import { type UpsLiveView } from './ups-live.view';

@ApiTags('power')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('ups')
export class UpsController {
  public constructor(private readonly upses: UpsLiveStateService) {}

  @Get()
  @ApiOperation({
    summary: 'Every UPS with its live state: status flags, charge, runtime, load, comm state, last seen',
  })
  @ApiOkResponse({ type: [UpsLiveDto] })
  public list(): Promise<UpsLiveView[]> {
    return this.upses.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One UPS with its live state' })
  @ApiOkResponse({ type: UpsLiveDto })
  @ApiNotFoundResponse({ description: 'No UPS with this id' })
  public async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<UpsLiveView> {
    const ups = await this.upses.get(id);
    if (ups === null) throw ApiError.notFound('UPS', id);
    return ups;
  }
}
