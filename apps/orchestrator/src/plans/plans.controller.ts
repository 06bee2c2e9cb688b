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
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';

import { isPlanKind, isPlanState, operatorCancel, PLAN_KINDS, PLAN_STATES } from '@nutfleet/plan';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { HostProtectionService } from '../protection/host-protection.service';
import { uuidPipe } from '../http/uuid.pipe';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { PlanCancelService } from './plan-cancel.service';
import { HostsHeldError, PlanFactory } from './plan-factory.service';
import { PlanQueryService } from './plan-query.service';
import { type PlanTargets } from './plan-targets';
import {
  CancelPlanDto,
  CancelResultDto,
  CreateShutdownPlanDto,
  PlanDetailDto,
  PlanSummaryDto,
  ShutdownPreviewDto,
} from './plan.dto';

const uuid = uuidPipe('id');
const list = (v: string | undefined): string[] | undefined =>
  v === undefined || v === ''
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

@ApiTags('plans')
@Controller('plans')
export class PlansController {
  public constructor(
    private readonly factory: PlanFactory,
    private readonly cancels: PlanCancelService,
    private readonly queries: PlanQueryService,
    private readonly store: OrchestratorPlanStore,
    private readonly protection: HostProtectionService,
  ) {}

  @Post('shutdown')
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Create a shutdown plan for the targeted hosts and start it',
    description:
      'armed: VMs by their ladders, then each host powered off once with ESXi poweroff, stage by stage. ' +
      'dry-run: every read-only step runs (connect, list VMs and power states) and each step reports what it would do; ' +
      'its detail names the hosts nutfleet could not protect (`protectionWarnings`).',
  })
  @ApiCreatedResponse({ type: PlanDetailDto })
  @ApiBadRequestResponse({ description: 'The targets select no host' })
  @ApiConflictResponse({
    description: 'armed: another unfinished armed shutdown plan holds some of these hosts (named)',
  })
  public async create(@Body() dto: CreateShutdownPlanDto, @Audit() audit: AuditContext): Promise<PlanDetailDto> {
    const hostIds = await this.factory.resolveHostIds(dto.targets);
    if (hostIds.length === 0)
      throw ApiError.badRequest('targets select no host', [{ field: 'targets', reason: 'selects no host' }]);
    if (dto.mode === 'armed') {
      try {
        await this.factory.assertHostsFree(hostIds);
      } catch (error) {
        if (error instanceof HostsHeldError) throw ApiError.conflict('targets', error.message);
        throw error;
      }
    }
    // An operator's armed plan made during an outage belongs to it: its hosts are woken after it.
    const outage = dto.mode === 'armed' ? await this.store.outages.current() : null;
    const create = this.factory.create({
      hostIds,
      // The early check above answers most conflicts cheaply; this one, made with the insert, closes the race.
      exclusive: dto.mode === 'armed',
      mode: dto.mode === 'armed' ? 'ARMED' : 'DRY_RUN',
      reason: dto.reason ?? `manual ${dto.mode} shutdown`,
      createdBy: audit.actor,
      targets: dto.targets,
      ...(outage !== null && outage.state !== 'RESTARTING' ? { outageId: outage.id } : {}),
      ...(dto.mode === 'dry-run'
        ? { assessProtection: (built, snapshot) => this.protection.forPlan(hostIds, built, snapshot) }
        : {}),
    });
    let planId: string;
    try {
      ({ planId } = await create);
    } catch (error) {
      if (error instanceof HostsHeldError) throw ApiError.conflict('targets', error.message);
      throw error;
    }
    const plan = await this.queries.get(planId);
    if (!plan) throw ApiError.notFound('plan', planId);
    return plan;
  }

  @Get('shutdown/preview')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'The shutdown plan the current inventory would produce, with predicted duration and battery warnings',
    description:
      '`warnings` also names every targeted host nutfleet could not protect now (untrusted key, never discovered, ' +
      'no fallback client...), one warning per problem with what to do; see PlanWarningCode.',
  })
  @ApiQuery({ name: 'all', required: false, type: Boolean, description: 'Default when no other target is given' })
  @ApiQuery({ name: 'hosts', required: false, description: 'Comma-separated host ids or names' })
  @ApiQuery({ name: 'groups', required: false, description: 'Comma-separated group ids or names' })
  @ApiQuery({ name: 'tags', required: false, description: 'Comma-separated tags' })
  @ApiOkResponse({ type: ShutdownPreviewDto })
  public async preview(
    @Query('all') all?: string,
    @Query('hosts') hosts?: string,
    @Query('groups') groups?: string,
    @Query('tags') tags?: string,
  ): Promise<ShutdownPreviewDto> {
    const targets: PlanTargets = { hosts: list(hosts), groups: list(groups), tags: list(tags) };
    const none = !targets.hosts && !targets.groups && !targets.tags;
    const hostIds = await this.factory.resolveHostIds(all === 'true' || none ? { all: true } : targets);
    const { plan, snapshot } = await this.factory.preview(hostIds);
    const protection = await this.protection.forPlan(hostIds, plan, snapshot);
    const powerCycles = await this.factory.powerCyclesOf(plan, hostIds, snapshot);
    const names = new Map(snapshot.hosts.map((h) => [h.id, h.name]));
    // The protection check says the same as the plan's own battery check, with what to do: keep one.
    const said = new Set(protection.map((w) => `${w.code}:${w.hostId}`));
    const planWarnings = plan.warnings
      .filter((w) => w.hostId === undefined || !said.has(`${w.code}:${w.hostId}`))
      .map((w) => {
        const hostName = w.hostId === undefined ? undefined : names.get(w.hostId);
        return hostName === undefined ? { ...w } : { ...w, hostName };
      });
    return {
      hostCount: hostIds.length,
      predictedDurationSeconds: plan.predictedDurationSeconds,
      worstCaseDurationSeconds: plan.worstCaseDurationSeconds,
      batteryRuntimeSeconds: plan.batteryRuntimeSeconds ?? null,
      stages: [...plan.stages],
      steps: [...plan.steps],
      hostChecks: [...plan.hostChecks],
      warnings: [...protection, ...planWarnings],
      unprotected: new Set(protection.map((w) => w.hostId)).size,
      skipped: [...plan.skipped],
      powerOffMethod: plan.powerOffMethod,
      powerCycles,
    };
  }

  @Get()
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Plans, newest first, with step counts by state' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } })
  @ApiQuery({ name: 'state', required: false, enum: [...PLAN_STATES] })
  @ApiQuery({
    name: 'kind',
    required: false,
    description: `Comma-separated kinds (${PLAN_KINDS.join(', ')}), e.g. SHUTDOWN,RESTART for the outage plans`,
  })
  @ApiOkResponse({ type: PlanSummaryDto, isArray: true })
  public list(
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number,
    @Query('state') state?: string,
    @Query('kind') kind?: string,
  ): Promise<PlanSummaryDto[]> {
    if (state !== undefined && !isPlanState(state)) {
      throw ApiError.fields(HttpStatus.BAD_REQUEST, [
        { field: 'state', reason: `must be one of ${PLAN_STATES.join(', ')}` },
      ]);
    }
    const kinds = list(kind);
    if (kinds !== undefined && !kinds.every(isPlanKind)) {
      throw ApiError.fields(HttpStatus.BAD_REQUEST, [
        { field: 'kind', reason: `must be one or more of ${PLAN_KINDS.join(', ')}` },
      ]);
    }
    return this.queries.list(Math.min(Math.max(limit, 1), 500), state, kinds?.filter(isPlanKind));
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'A plan with its timeline: steps (states, times, output, errors) and its power events' })
  @ApiOkResponse({ type: PlanDetailDto })
  @ApiNotFoundResponse({ description: 'No such plan' })
  public async get(@Param('id', uuid) id: string): Promise<PlanDetailDto> {
    const plan = await this.queries.get(id);
    if (!plan) throw ApiError.notFound('plan', id);
    return plan;
  }

  @Post(':id/cancel')
  @RequireRole('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Cancel the steps not started yet; running steps finish (same as power coming back before the point of no return)',
  })
  @ApiOkResponse({ type: CancelResultDto })
  @ApiNotFoundResponse({ description: 'No such plan' })
  @ApiConflictResponse({ description: 'The plan has already finished' })
  public async cancel(
    @Param('id', uuid) id: string,
    @Body() dto: CancelPlanDto,
    @Audit() audit: AuditContext,
  ): Promise<CancelResultDto> {
    const result = await this.cancels.cancel(id, {
      reason: dto.reason ?? `cancelled by ${audit.actor}`,
      by: operatorCancel(audit.actor),
    });
    if (result.kind === 'not-found') throw ApiError.notFound('plan', id);
    if (result.kind === 'finished') throw ApiError.conflict('state', `the plan has already finished (${result.state})`);
    return { planId: id, cancelledSteps: result.cancelledSteps };
  }
}
