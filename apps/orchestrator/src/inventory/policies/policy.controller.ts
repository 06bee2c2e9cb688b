import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { InventoryCrudController } from '../common/inventory-crud.controller';
import { CreatePolicyDto, PolicyDto, PolicyPageDto, PolicyQueryDto, UpdatePolicyDto } from './policy.dto';
import { PolicyService } from './policy.service';

@ApiTags('policies')
@Controller('policies')
export class PolicyController extends InventoryCrudController({
  service: PolicyService,
  dto: PolicyDto,
  pageDto: PolicyPageDto,
  queryDto: PolicyQueryDto,
  createDto: CreatePolicyDto,
  updateDto: UpdatePolicyDto,
  writeRole: 'operator',
  list: { summary: 'List policies by name (cursor pagination)' },
  get: { summary: 'One policy' },
  create: { summary: 'Create a policy', conflict: true, unprocessable: true },
  update: { summary: 'Change a policy (only the fields sent)', conflict: true },
  remove: { summary: 'Delete a policy (hosts and groups using it are left without a policy)' },
}) {}
