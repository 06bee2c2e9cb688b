import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { parseReplayInput, PowerInputError, type ReplayInput, runReplay } from '@nutfleet/power';

import { RequireRole } from '../../auth';
import { ApiError } from '../../http/api-error';
import { loadRecordedReplayInput, RecordedRangeError } from './recorded-replay.loader';
import { ReplayRequestDto, ReplayResultDto } from './replay.dto';

@ApiTags('plans')
@Controller('plans')
export class ReplayController {
  public constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('replay')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'What-if: run UPS timelines (or a recorded range) through the live decision engine, outage lifecycle and plan builder',
    description:
      'Nothing is planned or sent: the answer says, per host, when it would become critical, why, and its steps; and the outages it would open and close.',
  })
  @ApiOkResponse({ type: ReplayResultDto })
  @ApiBadRequestResponse({ description: 'The input names the first field that is wrong' })
  public async replay(@Body() dto: ReplayRequestDto): Promise<ReplayResultDto> {
    let input: ReplayInput;
    try {
      input = parseReplayInput(await this.inputOf(dto));
    } catch (error) {
      if (error instanceof PowerInputError)
        throw ApiError.badRequest(error.message, [{ field: error.field, reason: error.reason }]);
      if (error instanceof RecordedRangeError)
        throw ApiError.badRequest(error.message, [{ field: 'from', reason: error.message }]);
      throw error;
    }
    const output = runReplay(input);
    return {
      hosts: output.hosts.map((h) => ({ ...h, reasons: [...h.reasons], steps: [...h.steps] })),
      outages: output.outages.map((o) => ({ ...o, upsIds: [...o.upsIds], events: [...o.events] })),
    };
  }

  private async inputOf(dto: ReplayRequestDto): Promise<unknown> {
    if (dto.input !== undefined) {
      if (dto.from !== undefined || dto.to !== undefined)
        throw new PowerInputError('input', 'give either an input or from/to, not both');
      return dto.input;
    }
    if (dto.from === undefined || dto.to === undefined)
      throw new PowerInputError('from', 'give an input, or both from and to');
    const recorded = await loadRecordedReplayInput(this.prisma, {
      from: new Date(dto.from),
      to: new Date(dto.to),
      ...(dto.policyOverrides !== undefined ? { policyOverrides: dto.policyOverrides } : {}),
      pollIntervalMs: this.config.powerMonitor.pollIntervalMs,
      commLossReportSeconds: this.config.powerMonitor.commLossReportMs / 1000,
    });
    return JSON.parse(JSON.stringify(recorded));
  }
}
