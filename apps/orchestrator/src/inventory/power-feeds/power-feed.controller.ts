import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { ApiErrorDto } from '../../http/api-error.dto';
import { uuidPipe } from '../../http/uuid.pipe';
import {
  CreatePowerFeedDto,
  PowerFeedDto,
  PowerFeedPageDto,
  PowerFeedQueryDto,
  UpdatePowerFeedDto,
} from './power-feed.dto';
import { PowerFeedService } from './power-feed.service';

@ApiTags('power-feeds')
@Controller('power-feeds')
export class PowerFeedController {
  public constructor(private readonly service: PowerFeedService) {}

  @Get()
  @ApiOperation({ summary: 'List power feeds (host ↔ UPS) (cursor pagination)' })
  @ApiOkResponse({ type: PowerFeedPageDto })
  public list(@Query() query: PowerFeedQueryDto): Promise<PowerFeedPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One power feed' })
  @ApiOkResponse({ type: PowerFeedDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<PowerFeedDto> {
    return this.service.get(id);
  }

  @Post()
  @RequireRole('operator')
  @ApiOperation({ summary: 'Feed a host from a UPS' })
  @ApiCreatedResponse({ type: PowerFeedDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto })
  public create(@Body() body: CreatePowerFeedDto, @Audit() audit: AuditContext): Promise<PowerFeedDto> {
    return this.service.create(body, audit);
  }

  @Patch(':id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'Change the power value of a feed' })
  @ApiOkResponse({ type: PowerFeedDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpdatePowerFeedDto,
    @Audit() audit: AuditContext,
  ): Promise<PowerFeedDto> {
    return this.service.update(id, body, audit);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Remove a feed' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.service.remove(id, audit);
  }
}
