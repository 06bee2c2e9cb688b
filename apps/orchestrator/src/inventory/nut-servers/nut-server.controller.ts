import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { ApiErrorDto } from '../../http/api-error.dto';
import { uuidPipe } from '../../http/uuid.pipe';
import {
  CreateNutServerDto,
  NutServerDto,
  NutServerPageDto,
  NutServerQueryDto,
  UpdateNutServerDto,
} from './nut-server.dto';
import { NutServerService } from './nut-server.service';

@ApiTags('nut-servers')
@Controller('nut-servers')
export class NutServerController {
  public constructor(private readonly servers: NutServerService) {}

  @Get()
  @ApiOperation({ summary: 'List NUT servers by name (cursor pagination)' })
  @ApiOkResponse({ type: NutServerPageDto })
  public list(@Query() query: NutServerQueryDto): Promise<NutServerPageDto> {
    return this.servers.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One NUT server (the password is never returned)' })
  @ApiOkResponse({ type: NutServerDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<NutServerDto> {
    return this.servers.get(id);
  }

  @Post()
  @RequireRole('operator')
  @ApiOperation({ summary: 'Add a NUT server (password: admin only)' })
  @ApiCreatedResponse({ type: NutServerDto })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'A password sent by a non-admin' })
  @ApiConflictResponse({ type: ApiErrorDto })
  public create(@Body() body: CreateNutServerDto, @Audit() audit: AuditContext): Promise<NutServerDto> {
    return this.servers.create(body, audit);
  }

  @Patch(':id')
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Change a NUT server (password: write-only, admin only, null clears it)',
    description:
      'The password is bound to host, port and the TLS settings: changing any of them clears it unless the same ' +
      'request sets it again; the audit entry says so.',
  })
  @ApiOkResponse({ type: NutServerDto })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'A password sent by a non-admin' })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpdateNutServerDto,
    @Audit() audit: AuditContext,
  ): Promise<NutServerDto> {
    return this.servers.update(id, body, audit);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Remove a NUT server and its UPSes (refused while a UPS feeds a host)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.servers.remove(id, audit);
  }
}
