import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { uuidPipe } from '../http/uuid.pipe';
import { HostPowerDto } from './host-power.dto';
import { HostPowerService } from './host-power.service';

const uuid = uuidPipe('id');

@ApiTags('hosts')
@Controller('hosts/:id')
export class HostPowerController {
  public constructor(private readonly power: HostPowerService) {}

  @Post('leave-off')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Leave this host off: no restart (automatic or one that names it) wakes it',
    description:
      'Its power state is unchanged; the decision is recorded as its source ("operator:<token>: left off…") and ' +
      'survives a later shutdown. Undo with POST /hosts/{id}/allow-wake.',
  })
  @ApiOkResponse({ type: HostPowerDto })
  @ApiNotFoundResponse({ description: 'No such host' })
  public leaveOff(@Param('id', uuid) id: string, @Audit() audit: AuditContext): Promise<HostPowerDto> {
    return this.power.leaveOff(id, audit);
  }

  @Post('allow-wake')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Undo "leave off": restarts may wake this host again (the next automatic restart does, if it is off)',
  })
  @ApiOkResponse({ type: HostPowerDto })
  @ApiNotFoundResponse({ description: 'No such host' })
  public allowWake(@Param('id', uuid) id: string, @Audit() audit: AuditContext): Promise<HostPowerDto> {
    return this.power.allowWake(id, audit);
  }
}
