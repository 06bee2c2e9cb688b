import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';

import { sendJsonText } from '../../http/send-json-text';
import { InventoryItemRoutes } from '../common/inventory-crud.controller';
import { CreateHostDto, HostDto, HostPageDto, HostQueryDto, UpdateHostDto } from './host.dto';
import { HostService } from './host.service';

const ADMIN_SECRETS = 'Credentials or a pinned key sent by a non-admin';

@ApiTags('hosts')
@Controller('hosts')
export class HostController extends InventoryItemRoutes({
  service: HostService,
  dto: HostDto,
  createDto: CreateHostDto,
  updateDto: UpdateHostDto,
  writeRole: 'operator',
  get: { summary: 'One host, with its discovered facts' },
  create: {
    summary:
      'Add a host (password / privateKey / hostKeyFingerprint: admin only; credentials are write-only, sealed at rest)',
    conflict: true,
    unprocessable: 'groupId, policyId or a feed UPS does not exist',
    forbidden: ADMIN_SECRETS,
  },
  update: {
    summary: 'Change a host (only the fields sent; feeds, when sent, replace all feeds)',
    description:
      'Setting hostKeyFingerprint pins and trusts it (admin only); null untrusts the host. Credentials are bound to ' +
      'address, sshPort and hostKeyFingerprint: changing any of them clears the stored password and private key ' +
      'unless the same request sets them again (admin only); the audit entry says which were cleared and why.',
    conflict: true,
    unprocessable: true,
    forbidden: ADMIN_SECRETS,
  },
  remove: { summary: 'Remove a host and its power feeds' },
}) {
  // The page comes from the inventory read cache as JSON bytes, sent as they are.
  @Get()
  @ApiOperation({
    summary: 'List hosts sorted by name, filtered (all filters combine with AND), cursor-paginated',
    description: 'Credentials are never returned: hasPassword / hasPrivateKey say whether they are set.',
  })
  @ApiOkResponse({ type: HostPageDto })
  public async list(@Query() query: HostQueryDto, @Res() res: Response): Promise<void> {
    sendJsonText(res, await this.service.list(query));
  }
}
