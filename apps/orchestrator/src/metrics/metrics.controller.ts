import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { type Request, type Response } from 'express';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';

import { Public } from '../auth/public.decorator';
import { RequestAuthenticator } from '../auth/request-authenticator';
import { ApiError } from '../http/api-error';
import { MetricsRegistry } from './metrics.registry';

/**
 * Prometheus exposition. Not behind the global guard because METRICS_PUBLIC may open it; when
 * it does not, any valid token (viewer or above) is checked here by the same authenticator
 * (and failure throttle) as every other route.
 */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  public constructor(
    private readonly metrics: MetricsRegistry,
    private readonly authenticator: RequestAuthenticator,
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
  @ApiTooManyRequestsResponse({ description: 'Too many failed authentications (a valid token always passes)' })
  public async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.config.metrics.public) {
      const outcome = await this.authenticator.authenticate(req, {
        token: null,
        missingMessage: 'metrics need a viewer token: send "Authorization: Bearer <token>"',
      });
      if (!outcome.ok) {
        for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
        throw new ApiError(outcome.status, outcome.message);
      }
    }
    const body = await this.metrics.registry.metrics();
    res.status(200).type(this.metrics.registry.contentType).send(body);
  }
}
