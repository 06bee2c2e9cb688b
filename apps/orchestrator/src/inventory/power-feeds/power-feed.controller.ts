import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { InventoryCrudController } from '../common/inventory-crud.controller';
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
export class PowerFeedController extends InventoryCrudController({
  service: PowerFeedService,
  dto: PowerFeedDto,
  pageDto: PowerFeedPageDto,
  queryDto: PowerFeedQueryDto,
  createDto: CreatePowerFeedDto,
  updateDto: UpdatePowerFeedDto,
  writeRole: 'operator',
  list: { summary: 'List power feeds (host ↔ UPS) (cursor pagination)' },
  get: { summary: 'One power feed' },
  create: { summary: 'Feed a host from a UPS', conflict: true, unprocessable: true },
  update: { summary: 'Change the power value of a feed', conflict: true },
  remove: { summary: 'Remove a feed' },
}) {}
