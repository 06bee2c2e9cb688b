import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequireRole } from '../auth/require-role.decorator';
import { PowerMonitorStatusDto } from './power-monitor.dto';
import { PowerMonitorLeadership } from './power-monitor.leadership';
import { PowerMonitorService } from './power-monitor.service';
import { PowerMonitorStore } from './power-monitor.store';

@ApiTags('power')
@ApiBearerAuth()
@RequireRole('viewer')
@Controller('power-monitor')
export class PowerMonitorController {
  public constructor(
    private readonly leadership: PowerMonitorLeadership,
    private readonly monitor: PowerMonitorService,
    private readonly store: PowerMonitorStore,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Which replica polls, and (on the leader) the state of each NUT server connection' })
  @ApiOkResponse({ type: PowerMonitorStatusDto })
  public async status(): Promise<PowerMonitorStatusDto> {
    const current = await this.store.currentLeader();
    return {
      ...this.leadership.state(),
      currentLeader: current?.holder ?? null,
      servers: this.monitor.runtime().servers,
    };
  }
}
