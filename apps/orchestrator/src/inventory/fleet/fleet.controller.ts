import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';

import { sendJsonText } from '../../http/send-json-text';

import { FleetSummaryDto } from './fleet-summary.dto';
import { FleetSummaryService } from './fleet-summary.service';

@ApiTags('fleet')
@Controller('fleet')
export class FleetController {
  public constructor(private readonly summaries: FleetSummaryService) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Fleet status: hosts by trust state, group and UPS, hosts in error, hosts nutfleet could not protect',
    description:
      'May be up to 1 s old (shared between concurrent callers), its protection part (`unprotected`, `warnings`) up to 10 s; ' +
      'changes through this replica refresh it at once.',
  })
  @ApiOkResponse({ type: FleetSummaryDto })
  public async summary(@Res() res: Response): Promise<void> {
    sendJsonText(res, await this.summaries.summary());
  }
}
