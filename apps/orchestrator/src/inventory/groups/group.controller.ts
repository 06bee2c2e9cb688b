import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { InventoryCrudController } from '../common/inventory-crud.controller';
import { CreateGroupDto, GroupDto, GroupPageDto, GroupQueryDto, UpdateGroupDto } from './group.dto';
import { GroupService } from './group.service';

@ApiTags('groups')
@Controller('groups')
export class GroupController extends InventoryCrudController({
  service: GroupService,
  dto: GroupDto,
  pageDto: GroupPageDto,
  queryDto: GroupQueryDto,
  createDto: CreateGroupDto,
  updateDto: UpdateGroupDto,
  writeRole: 'operator',
  list: { summary: 'List groups by name (cursor pagination)' },
  get: { summary: 'One group' },
  create: { summary: 'Create a group', conflict: true, unprocessable: true },
  update: { summary: 'Change a group (only the fields sent)', conflict: true, unprocessable: true },
  remove: { summary: 'Delete a group (its hosts stay, without a group)' },
}) {}
