import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { type Response } from 'express';

import { sendJsonText } from '../../http/send-json-text';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { ApiErrorDto } from '../../http/api-error.dto';
import { uuidPipe } from '../../http/uuid.pipe';
import { CreateHostDto, HostDto, HostPageDto, HostQueryDto, UpdateHostDto } from './host.dto';
import { HostService } from './host.service';

@ApiTags('hosts')
@Controller('hosts')
export class HostController {
  public constructor(private readonly hosts: HostService) {}

  @Get()
  @ApiOperation({
    summary: 'List hosts sorted by name, filtered (all filters combine with AND), cursor-paginated',
    description: 'Credentials are never returned: hasPassword / hasPrivateKey say whether they are set.',
  })
  @ApiOkResponse({ type: HostPageDto })
  public async list(@Query() query: HostQueryDto, @Res() res: Response): Promise<void> {
    sendJsonText(res, await this.hosts.list(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One host, with its discovered facts' })
  @ApiOkResponse({ type: HostDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<HostDto> {
    return this.hosts.get(id);
  }

  @Post()
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Add a host (password / privateKey / hostKeyFingerprint: admin only; credentials are write-only, sealed at rest)',
  })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'Credentials or a pinned key sent by a non-admin' })
  @ApiCreatedResponse({ type: HostDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'groupId, policyId or a feed UPS does not exist' })
  public create(@Body() body: CreateHostDto, @Audit() audit: AuditContext): Promise<HostDto> {
    return this.hosts.create(body, audit);
  }

  @Patch(':id')
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Change a host (only the fields sent; feeds, when sent, replace all feeds)',
    description:
      'Setting hostKeyFingerprint pins and trusts it (admin only); null untrusts the host. Credentials are bound to ' +
      'address, sshPort and hostKeyFingerprint: changing any of them clears the stored password and private key ' +
      'unless the same request sets them again (admin only); the audit entry says which were cleared and why.',
  })
  @ApiOkResponse({ type: HostDto })
  @ApiForbiddenResponse({ type: ApiErrorDto, description: 'Credentials or a pinned key sent by a non-admin' })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpdateHostDto,
    @Audit() audit: AuditContext,
  ): Promise<HostDto> {
    return this.hosts.update(id, body, audit);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Remove a host and its power feeds' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.hosts.remove(id, audit);
  }
}
