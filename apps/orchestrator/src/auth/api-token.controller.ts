import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Audit } from '../audit/audit-context.decorator';
import { type AuditContext } from '../audit/audit.service';
import { ApiErrorDto } from '../http/api-error.dto';
import { uuidPipe } from '../http/uuid.pipe';
import { ApiTokenDto, CreateApiTokenDto, CreatedApiTokenDto } from './api-token.dto';
import { ApiTokenService } from './api-token.service';
import { RequireRole } from './require-role.decorator';

@ApiTags('tokens')
@RequireRole('admin')
@Controller('tokens')
export class ApiTokenController {
  public constructor(private readonly tokens: ApiTokenService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API token; the token is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  public async create(@Body() body: CreateApiTokenDto, @Audit() audit: AuditContext): Promise<CreatedApiTokenDto> {
    const { token, view } = await this.tokens.create(
      { name: body.name, role: body.role, ...(body.expiresAt ? { expiresAt: body.expiresAt } : {}) },
      audit,
    );
    return { ...view, token };
  }

  @Get()
  @ApiOperation({ summary: 'List API tokens (never the tokens themselves)' })
  @ApiOkResponse({ type: [ApiTokenDto] })
  public list(): Promise<ApiTokenDto[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API token (kept, marked revoked, for the audit trail)' })
  @ApiOkResponse({ type: ApiTokenDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public revoke(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<ApiTokenDto> {
    return this.tokens.revoke(id, audit);
  }
}
