import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireRole } from '../auth/require-role.decorator';
import { ApiError } from '../http/api-error';
import {
  type NutConnectionTestOutcome,
  NutConnectionTestService,
  NutServerNotFoundError,
} from './nut-connection-test.service';
import { NutConnectionTestDto } from './power-monitor.dto';

@ApiTags('nut-servers')
@ApiBearerAuth()
@Controller('nut-servers')
export class NutServerTestController {
  public constructor(private readonly tester: NutConnectionTestService) {}

  @Post(':id/test')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Test connection: connect (with the TLS policy), list the UPSes, prove the credentials with LOGIN',
    description:
      'Always 200 when the server is configured: `ok` says whether it worked and `error.code` why not (e.g. ACCESS-DENIED). ' +
      'When no NUT server answers — nothing listens, the port is filtered, or another service answers — the reply is ' +
      'one generic NO-NUT-SERVER failure, after a fixed delay, that never carries what the other service sent.',
  })
  @ApiOkResponse({ type: NutConnectionTestDto })
  @ApiNotFoundResponse({ description: 'No NUT server with this id' })
  public async test(@Param('id', new ParseUUIDPipe()) id: string): Promise<NutConnectionTestOutcome> {
    try {
      return await this.tester.test(id);
    } catch (error) {
      if (error instanceof NutServerNotFoundError) throw ApiError.notFound('NUT server', id);
      throw error;
    }
  }
}
