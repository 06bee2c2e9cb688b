import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import { InventoryCrudController } from '../common/inventory-crud.controller';
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
export class NutServerController extends InventoryCrudController({
  service: NutServerService,
  dto: NutServerDto,
  pageDto: NutServerPageDto,
  queryDto: NutServerQueryDto,
  createDto: CreateNutServerDto,
  updateDto: UpdateNutServerDto,
  writeRole: 'operator',
  list: { summary: 'List NUT servers by name (cursor pagination)' },
  get: { summary: 'One NUT server (the password is never returned)' },
  create: { summary: 'Add a NUT server', conflict: true },
  update: { summary: 'Change a NUT server (password: write-only, null clears it)', conflict: true },
  remove: { summary: 'Remove a NUT server and its UPSes (refused while a UPS feeds a host)', conflict: true },
}) {}
