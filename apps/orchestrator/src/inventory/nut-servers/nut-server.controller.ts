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

const ADMIN_SECRETS = 'A password sent by a non-admin';

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
  create: { summary: 'Add a NUT server (password: admin only)', conflict: true, forbidden: ADMIN_SECRETS },
  update: {
    summary: 'Change a NUT server (password: write-only, admin only, null clears it)',
    description:
      'The password is bound to host, port and the TLS settings: changing any of them clears it unless the same ' +
      'request sets it again; the audit entry says so.',
    conflict: true,
    forbidden: ADMIN_SECRETS,
  },
  remove: { summary: 'Remove a NUT server and its UPSes (refused while a UPS feeds a host)', conflict: true },
}) {}
