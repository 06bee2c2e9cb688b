import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { InventoryCrudController } from '../common/inventory-crud.controller';
import { CreateUpsDto, UpdateUpsDto, UpsDto, UpsPageDto, UpsQueryDto } from './ups.dto';
import { UpsService } from './ups.service';

@ApiTags('upses')
@Controller('upses')
export class UpsController extends InventoryCrudController({
  service: UpsService,
  dto: UpsDto,
  pageDto: UpsPageDto,
  queryDto: UpsQueryDto,
  createDto: CreateUpsDto,
  updateDto: UpdateUpsDto,
  writeRole: 'operator',
  list: { summary: 'List UPSes (cursor pagination), optionally of one NUT server' },
  get: { summary: 'One UPS with its last known status' },
  create: { summary: 'Add a UPS served by a NUT server (name@server)', conflict: true, unprocessable: true },
  update: { summary: 'Rename or describe a UPS', conflict: true },
  remove: { summary: 'Remove a UPS (refused while it feeds a host)', conflict: true },
}) {}
