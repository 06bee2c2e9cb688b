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
import { CreateGroupDto, GroupDto, GroupPageDto, GroupQueryDto, UpdateGroupDto } from './group.dto';
import { GroupService } from './group.service';

@ApiTags('groups')
@Controller('groups')
export class GroupController {
  public constructor(private readonly service: GroupService) {}

  @Get()
  @ApiOperation({ summary: 'List groups by name (cursor pagination)' })
  @ApiOkResponse({ type: GroupPageDto })
  public list(@Query() query: GroupQueryDto): Promise<GroupPageDto> {
    return this.service.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One group' })
  @ApiOkResponse({ type: GroupDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<GroupDto> {
    return this.service.get(id);
  }

  @Post()
  @RequireRole('operator')
  @ApiOperation({ summary: 'Create a group' })
  @ApiCreatedResponse({ type: GroupDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto })
  public create(@Body() body: CreateGroupDto, @Audit() audit: AuditContext): Promise<GroupDto> {
    return this.service.create(body, audit);
  }

  @Patch(':id')
  @RequireRole('operator')
  @ApiOperation({ summary: 'Change a group (only the fields sent)' })
  @ApiOkResponse({ type: GroupDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpdateGroupDto,
    @Audit() audit: AuditContext,
  ): Promise<GroupDto> {
    return this.service.update(id, body, audit);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('operator')
  @ApiOperation({ summary: 'Delete a group (its hosts stay, without a group)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuidPipe('id')) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.service.remove(id, audit);
  }
}
