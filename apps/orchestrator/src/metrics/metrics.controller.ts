import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type Response } from 'express';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { parseBearer } from '../auth/api-token.codec';
import { ApiTokenService } from '../auth/api-token.service';
import { Public } from '../auth/public.decorator';
import { ApiError } from '../http/api-error';
import { MetricsRegistry } from './metrics.registry';

/**
 * Prometheus exposition. Not behind the global guard because METRICS_PUBLIC may open it; when
 * it does not, any valid token (viewer or above) is checked here, the way the guard would.
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  public constructor(
    private readonly metrics: MetricsRegistry,
    private readonly tokens: ApiTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Prometheus metrics: UPS status flags, charge, runtime, load and comm; host up; plan and step durations; queue jobs; NUT poll latency',
    description:
      'Needs a viewer token (Prometheus `authorization: { credentials: <token> }`) unless METRICS_PUBLIC=true.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format 0.0.4' })
  @ApiUnauthorizedResponse({ description: 'No valid token (METRICS_PUBLIC=false)' })
  public async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.config.metrics.public) {
      const bearer = parseBearer(authorization);
      const result = bearer.ok ? await this.tokens.authenticate(bearer.token) : null;
      if (result === null || !result.ok) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="nutfleet"');
        throw new ApiError(401, 'metrics need a viewer token: send "Authorization: Bearer <token>"');
      }
    }
    const body = await this.metrics.registry.metrics();
    res.status(200).type(this.metrics.registry.contentType).send(body);
  }
}
