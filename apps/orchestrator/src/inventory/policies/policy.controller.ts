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
import { CreatePolicyDto, PolicyDto, PolicyPageDto, PolicyQueryDto, UpdatePolicyDto } from './policy.dto';
import { PolicyService } from './policy.service';

@ApiTags('policies')
@Controller('policies')
export class PolicyController {
  public constructor(private readonly service: PolicyService) {}

  @Get()
  @ApiOperation({ summary: 'List policys by name (cursor pagination)' })
  @ApiOkResponse({ type: PolicyPageDto })
  public list(@Query() query: PolicyQueryDto): Promise<PolicyPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One policy' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<PolicyDto> {
    return this.service.get(id);
  }

  @Post()
  @RequireRole('operator')
  @ApiOperation({ summary: 'Create a policy' })
  @ApiCreatedResponse({ type: PolicyDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto })
  public create(@Body() body: CreatePolicyDto, @Audit() audit: AuditContext): Promise<PolicyDto> {
    return this.service.create(body, audit);
  }

  @Patch(':id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'Change a policy (only the fields sent)' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpdatePolicyDto,
    @Audit() audit: AuditContext,
  ): Promise<PolicyDto> {
    return this.service.update(id, body, audit);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Delete a policy (hosts and groups using it are left without a policy)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.service.remove(id, audit);
  }
}
