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
import { CreateUpsDto, UpdateUpsDto, UpsDto, UpsPageDto, UpsQueryDto } from './ups.dto';
import { UpsService } from './ups.service';

@ApiTags('upses')
@Controller('upses')
export class UpsController {
  public constructor(private readonly upses: UpsService) {}

  @Get()
  @ApiOperation({ summary: 'List UPSes (cursor pagination), optionally of one NUT server' })
  @ApiOkResponse({ type: UpsPageDto })
  public list(@Query() query: UpsQueryDto): Promise<UpsPageDto> {
    return this.upses.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One UPS with its last known status' })
  @ApiOkResponse({ type: UpsDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<UpsDto> {
    return this.upses.get(id);
  }

  @Post()
  @RequireRole('operator')
  @ApiOperation({ summary: 'Add a UPS served by a NUT server (name@server)' })
  @ApiCreatedResponse({ type: UpsDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto })
  public create(@Body() body: CreateUpsDto, @Audit() audit: AuditContext): Promise<UpsDto> {
    return this.upses.create(body, audit);
  }

  @Patch(':id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'Rename or describe a UPS' })
  @ApiOkResponse({ type: UpsDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpdateUpsDto,
    @Audit() audit: AuditContext,
  ): Promise<UpsDto> {
    return this.upses.update(id, body, audit);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Remove a UPS (refused while it feeds a host)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.upses.remove(id, audit);
  }
}
