import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';

import { Public } from '../auth/public.decorator';
import { HealthDto, ReadinessDto } from './health.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  private readonly startedAt = Date.now();

  public constructor(private readonly readiness: ReadinessService) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP (checks nothing else)' })
  @ApiOkResponse({ type: HealthDto })
  public health(): HealthDto {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis both answer; 503 names what is down' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto })
  public async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const result = await this.readiness.check();
    if (!result.ready) res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: result.ready ? 'ready' : 'unavailable',
      ...(result.ready ? {} : { message: `not ready: ${result.down.join(' and ')} unreachable` }),
      down: result.down,
      checks: result.checks,
    };
  }
}
