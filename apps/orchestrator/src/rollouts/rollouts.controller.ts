import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { uuidPipe } from '../http/uuid.pipe';
import { RolloutControlService } from './rollout-control.service';
import { RolloutQueryService } from './rollout-query.service';
import {
  CreateRolloutDto,
  RolloutCancelDto,
  RolloutDetailDto,
  RolloutResumeDto,
  RolloutSummaryDto,
} from './rollout.dto';
import { RolloutFactory } from './rollout.factory';

const uuid = uuidPipe('id');

/**
 * Rollouts: operators start, cancel and resume them (they deploy an artifact an admin uploaded;
 * the artifact itself is the admin's decision); viewers read them.
 */
@ApiTags('rollouts')
@Controller('rollouts')
export class RolloutsController {
  public constructor(
    private readonly factory: RolloutFactory,
    private readonly queries: RolloutQueryService,
    private readonly control: RolloutControlService,
  ) {}

  @Post()
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Start a rollout: install/upgrade/configure/uninstall NutClient on the targeted hosts in waves',
    description:
      'Waves: canaryCount hosts first, then waves of maxInFlight, pauseSeconds between waves; later waves are not started once ' +
      'failed/finished hosts exceeds maxFailureRatio. Each host runs preflight → upload → install → configure → restart → verify → cleanup ' +
      '(or the configure / uninstall steps), resumable after any crash. A host whose inventory cannot produce a valid configuration ' +
      'fails before anything is sent to it.',
  })
  @ApiCreatedResponse({ type: RolloutDetailDto })
  @ApiBadRequestResponse({ description: 'Invalid body, no artifact for an install, or the target selects no host' })
  public async create(@Body() dto: CreateRolloutDto, @Audit() audit: AuditContext): Promise<RolloutDetailDto> {
    const planId = await this.factory.create(dto, audit);
    const rollout = await this.queries.get(planId);
    if (!rollout) throw ApiError.notFound('rollout', planId);
    return rollout;
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Rollouts, newest first, with host counts by state' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiOkResponse({ type: RolloutSummaryDto, isArray: true })
  public list(@Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number): Promise<RolloutSummaryDto[]> {
    return this.queries.list(Math.min(Math.max(limit, 1), 500));
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'A rollout with each host: wave, state, current deploy step, step results, output and error',
  })
  @ApiOkResponse({ type: RolloutDetailDto })
  @ApiNotFoundResponse({ description: 'No such rollout' })
  public async get(@Param('id', uuid) id: string): Promise<RolloutDetailDto> {
    const rollout = await this.queries.get(id);
    if (!rollout) throw ApiError.notFound('rollout', id);
    return rollout;
  }

  @Post(':id/cancel')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel the hosts not started yet; hosts in flight finish' })
  @ApiOkResponse({ type: RolloutDetailDto })
  @ApiConflictResponse({ description: 'The rollout is already finished' })
  public async cancel(
    @Param('id', uuid) id: string,
    @Body() dto: RolloutCancelDto,
    @Audit() audit: AuditContext,
  ): Promise<RolloutDetailDto> {
    await this.control.cancel(id, dto.reason ?? `cancelled by ${audit.actor}`, audit);
    return this.get(id);
  }

  @Post(':id/resume')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Run again the cancelled and failed hosts (after a cancel, a failure-ratio stop or failures); finished deploy steps are not repeated',
    description:
      'The body may change allowAcceptanceChange, maxFailureRatio and pauseSeconds for the rest of the rollout (audited with the values before).',
  })
  @ApiOkResponse({ type: RolloutDetailDto })
  @ApiConflictResponse({ description: 'The rollout already succeeded' })
  @ApiBody({ type: RolloutResumeDto, required: false })
  public async resume(
    @Param('id', uuid) id: string,
    @Body() options: RolloutResumeDto,
    @Audit() audit: AuditContext,
  ): Promise<RolloutDetailDto> {
    await this.control.resume(id, options ?? {}, audit);
    return this.get(id);
  }
}
