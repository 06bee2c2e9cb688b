import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';

import { sendJsonText } from '../../http/send-json-text';
import { InventoryItemRoutes } from '../common/inventory-crud.controller';
import { CreateHostDto, HostDto, HostPageDto, HostQueryDto, UpdateHostDto } from './host.dto';
import { HostService } from './host.service';

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
    summary: 'Add a host (password / privateKey are write-only, sealed at rest)',
    conflict: true,
    unprocessable: 'groupId, policyId or a feed UPS does not exist',
  },
  update: {
    summary: 'Change a host (only the fields sent; feeds, when sent, replace all feeds)',
    description: 'Setting hostKeyFingerprint pins and trusts it; null untrusts the host.',
    conflict: true,
    unprocessable: true,
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
