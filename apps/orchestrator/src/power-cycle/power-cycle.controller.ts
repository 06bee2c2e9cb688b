import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Audit } from '../audit/audit-context.decorator';
import { type AuditContext } from '../audit/audit.service';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiErrorDto } from '../http/api-error.dto';
import { uuidPipe } from '../http/uuid.pipe';
import { PowerCycleTestService } from './power-cycle-test.service';
import { PowerCycleTestDto, UpsPowerCycleDto, UpsPowerCycleInputDto } from './power-cycle.dto';
import { UpsPowerCycleService } from './ups-power-cycle.service';

const SAFETY =
  'Sent once per outage, only when every host the UPS feeds is confirmed down (a host past its deadline only once SSH no ' +
  'longer answers), never while the UPS shows FSD, and never for a UPS that also feeds hosts the plan leaves running or ' +
  'unmanaged loads unless allowWithUnmanagedLoads.';

@ApiTags('upses')
@ApiBearerAuth()
@Controller('upses')
export class UpsPowerCycleController {
  public constructor(
    private readonly settings: UpsPowerCycleService,
    private readonly tester: PowerCycleTestService,
  ) {}

  @Get(':id/power-cycle')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'What nutfleet sends this UPS once every host it feeds is down', description: SAFETY })
  @ApiOkResponse({ type: UpsPowerCycleDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuidPipe('id')) id: string): Promise<UpsPowerCycleDto> {
    return this.settings.get(id);
  }

  @Put(':id/power-cycle')
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Set the power-cycle action of this UPS (admin only; replaces it whole)',
    description: SAFETY,
  })
  @ApiOkResponse({ type: UpsPowerCycleDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public set(
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: UpsPowerCycleInputDto,
    @Audit() audit: AuditContext,
  ): Promise<UpsPowerCycleDto> {
    return this.settings.set(id, body, audit);
  }

  @Post(':id/power-cycle/test')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary:
      'Test the power-cycle action: what the UPS supports (LIST CMD / LIST RW) and whether the account is accepted',
    description:
      'Nothing that switches the UPS is sent. Always 200 when the UPS exists: `ok` says whether the action can be sent, ' +
      '`error.code` why not (CMD-NOT-SUPPORTED, ACCESS-DENIED, NO-COMMAND-ACCOUNT, NOT-CONFIGURED, NO-NUT-SERVER…).',
  })
  @ApiOkResponse({ type: PowerCycleTestDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public test(@Param('id', uuidPipe('id')) id: string): Promise<PowerCycleTestDto> {
    return this.tester.test(id);
  }
}
