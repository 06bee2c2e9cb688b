import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';

import { evaluateRestartGate, restartWakeWarnings } from '@nutfleet/power';

import { Audit, type AuditContext, RequireRole } from '../auth';
import { ApiError } from '../http/api-error';
import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { PlanFactory } from '../plans/plan-factory.service';
import { PlanQueryService } from '../plans/plan-query.service';
import { type PlanTargets } from '../plans/plan-targets';
import { PlanDetailDto } from '../plans/plan.dto';
import { CreateRestartPlanDto, RestartPreviewDto } from './restart-plan.dto';
import { RestartPlanFactory } from './restart-plan.factory';

const list = (v: string | undefined): string[] | undefined =>
  v === undefined || v === ''
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Restart plans share `GET /plans/:id` (timeline with gate decisions) and `POST /plans/:id/cancel`. */
@ApiTags('plans')
@Controller('plans')
export class RestartPlansController {
  public constructor(
    private readonly restarts: RestartPlanFactory,
    private readonly factory: PlanFactory,
    private readonly store: OrchestratorPlanStore,
    private readonly queries: PlanQueryService,
    private readonly snapshots: FleetSnapshotLoader,
  ) {}

  @Post('restart')
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Create a restart plan for the targeted hosts and start it',
    description:
      'Waves by restartWave; before each wave its gates (power stable, battery, NUT servers, earlier waves verified or timed out) ' +
      'are evaluated and every decision is recorded in the timeline. armed: per host Wake-on-LAN, wait for SSH, verify ESXi, ' +
      'power on the VMs the host does not start itself. dry-run: checks MACs, probes SSH, reads hosts that answer, sends nothing. ' +
      'Only hosts taken down by the last shutdown plan are woken unless includeHostsDownBeforeOutage.',
  })
  @ApiCreatedResponse({ type: PlanDetailDto })
  @ApiBadRequestResponse({ description: 'The targets select no host to wake' })
  public async create(@Body() dto: CreateRestartPlanDto, @Audit() audit: AuditContext): Promise<PlanDetailDto> {
    const hostIds = await this.factory.resolveHostIds(dto.targets);
    if (hostIds.length === 0)
      throw ApiError.badRequest('targets select no host', [{ field: 'targets', reason: 'selects no host' }]);
    const options = {
      hostIds,
      includeHostsDownBeforeOutage: dto.includeHostsDownBeforeOutage === true,
      ...(dto.hostTimeoutSeconds !== undefined ? { hostTimeoutSeconds: dto.hostTimeoutSeconds } : {}),
      ...(dto.shutdownPlanId !== undefined ? { shutdownPlanId: dto.shutdownPlanId } : {}),
    };
    const preview = await this.restarts.preview(options);
    if (preview.plan.waves.length === 0) {
      throw ApiError.badRequest('no targeted host was up before the outage', [
        {
          field: 'includeHostsDownBeforeOutage',
          reason: `none of the ${hostIds.length} host(s) was taken down by the last shutdown plan; set it to true to wake them anyway`,
        },
      ]);
    }
    // An operator's armed restart ends the outage under way: the hosts it wakes are judged under
    // a new outage whose on-battery timers start now (LB and FSD still count at once).
    const outage = dto.mode === 'armed' ? await this.store.outages.current() : null;
    const { planId } = await this.restarts.create({
      ...options,
      mode: dto.mode === 'armed' ? 'ARMED' : 'DRY_RUN',
      reason: dto.reason ?? `manual ${dto.mode} restart`,
      createdBy: audit.actor,
      targets: dto.targets,
      ...(outage !== null && outage.state !== 'RESTARTING' ? { outageId: outage.id } : {}),
    });
    if (outage !== null && outage.state !== 'RESTARTING')
      await this.store.outages.restartStarted(outage.id, planId, `restarted by ${audit.actor}`);
    const plan = await this.queries.get(planId);
    if (!plan) throw ApiError.notFound('plan', planId);
    return plan;
  }

  @Get('restart/preview')
  @RequireRole('viewer')
  @ApiOperation({
    summary: 'The restart plan the inventory and the last shutdown would produce, with its first gate evaluated now',
  })
  @ApiQuery({ name: 'all', required: false, type: Boolean, description: 'Default when no other target is given' })
  @ApiQuery({ name: 'hosts', required: false, description: 'Comma-separated host ids or names' })
  @ApiQuery({ name: 'groups', required: false, description: 'Comma-separated group ids or names' })
  @ApiQuery({ name: 'tags', required: false, description: 'Comma-separated tags' })
  @ApiQuery({ name: 'includeHostsDownBeforeOutage', required: false, type: Boolean })
  @ApiOkResponse({ type: RestartPreviewDto })
  public async preview(
    @Query('all') all?: string,
    @Query('hosts') hosts?: string,
    @Query('groups') groups?: string,
    @Query('tags') tags?: string,
    @Query('includeHostsDownBeforeOutage') include?: string,
  ): Promise<RestartPreviewDto> {
    const targets: PlanTargets = { hosts: list(hosts), groups: list(groups), tags: list(tags) };
    const none = !targets.hosts && !targets.groups && !targets.tags;
    const hostIds = await this.factory.resolveHostIds(all === 'true' || none ? { all: true } : targets);
    const now = Date.now();
    const { plan, detail } = await this.restarts.preview(
      { hostIds, includeHostsDownBeforeOutage: include === 'true' },
      now,
    );
    const first = plan.waves[0];
    let firstGate: RestartPreviewDto['firstGate'] = null;
    const histories = plan.waves.length > 0 ? await this.snapshots.loadHistories(now) : [];
    if (first) {
      const gate = evaluateRestartGate({
        plan,
        wave: first.wave,
        histories,
        // Preview only: reachability as the monitor last recorded it (a UPS read OK).
        nutServers: [
          ...new Set(histories.map((h) => h.nutServerId).filter((id): id is string => id !== undefined)),
        ].map((id) => ({
          id,
          reachable: histories.some((h) => h.nutServerId === id && h.observations.at(-1)?.comm === 'ok'),
        })),
        hostProgress: [],
        ...(detail.lastShutdown ? { lastShutdown: detail.lastShutdown } : {}),
        policy: detail.gatePolicy,
        now,
      });
      firstGate = {
        wave: gate.wave,
        open: gate.open,
        checks: gate.checks.map((c) => ({ gate: c.gate, open: c.open, reasons: [...c.reasons] })),
        recheckAt: gate.recheckAt !== undefined ? new Date(gate.recheckAt).toISOString() : null,
      };
    }
    return {
      hostCount: detail.hostIds.length,
      waves: detail.waves.map((w) => ({ wave: w.wave, hostIds: [...w.hostIds], upsIds: [...w.upsIds] })),
      steps: [...plan.steps],
      skipped: detail.skipped,
      hostTimeoutSeconds: detail.hostTimeoutSeconds,
      gatePolicy: detail.gatePolicy,
      lastShutdown: detail.lastShutdown,
      shutdownPlanId: detail.shutdownPlanId,
      firstGate,
      warnings: restartWakeWarnings(plan.waves, histories, now).map((w) => ({
        code: w.code,
        message: w.message,
        values: { ...w.values },
      })),
    };
  }
}
