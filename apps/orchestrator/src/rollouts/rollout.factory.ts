import { Injectable, Logger } from '@nestjs/common';

import { type Artifact, type Prisma, PrismaService } from '@nutfleet/db';
import { type NewRolloutStep } from '@nutfleet/plan';
import { JobName, rolloutAdvanceJobId } from '@nutfleet/queue';
import { type DeployAction, type RolloutRequestedAction, type RolloutStepDetail } from '@nutfleet/vib';

import { type AuditContext, AuditService } from '../auth';
import { ApiError } from '../http/api-error';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { hostFilter, type PlanTargets } from '../plans/plan-targets';
import { JobProducer } from '../queues/job-producer.service';
import {
  type HostDesiredConfig,
  DesiredConfigService,
  NEWEST_VIB_VERSION,
  withoutPassword,
} from './desired-config.service';
import { DriftService } from './drift.service';
import { type CreateRolloutDto } from './rollout.dto';
import { planWaves } from './rollout-wave.planner';

const DEPLOY_ACTION: Readonly<Record<RolloutRequestedAction, DeployAction>> = {
  install: 'install',
  upgrade: 'install',
  configure: 'configure',
  uninstall: 'uninstall',
};
const ROLLOUT_ACTION = { install: 'INSTALL', configure: 'CONFIGURE', uninstall: 'UNINSTALL' } as const;

/**
 * Creates a rollout: resolves the target (optionally narrowed to drifted hosts), computes every
 * host's desired configuration (problems recorded on the host's step: it fails before anything is
 * sent), splits hosts into waves, and writes Plan(kind ROLLOUT) + one PlanStep per host + Rollout
 * in ONE transaction, then kicks `rollout.advance` (when Redis is down the worker's reconciler
 * starts it from PostgreSQL).
 */
@Injectable()
export class RolloutFactory {
  private readonly logger = new Logger(RolloutFactory.name);

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly desired: DesiredConfigService,
    private readonly drift: DriftService,
    private readonly producer: JobProducer,
    private readonly audit: AuditService,
  ) {}

  public async create(dto: CreateRolloutDto, ctx: AuditContext): Promise<string> {
    const action = DEPLOY_ACTION[dto.action];
    const artifact = await this.artifact(dto, action);
    const hostIds = await this.resolveHosts(dto, artifact);
    if (hostIds.length === 0)
      throw ApiError.badRequest('target selects no host', [{ field: 'target', reason: 'selects no host' }]);

    const configs: HostDesiredConfig[] =
      action === 'uninstall'
        ? (
            await this.prisma.host.findMany({
              where: { id: { in: hostIds } },
              select: { id: true, name: true },
              orderBy: { name: 'asc' },
            })
          ).map((h) => ({ hostId: h.id, hostName: h.name, ok: false as const, vibVersion: '', problems: [] }))
        : await this.desired.forHosts(hostIds, (installed) => artifact?.version ?? installed ?? NEWEST_VIB_VERSION);
    const canaryCount = dto.canaryCount ?? 1;
    const maxInFlight = dto.maxInFlight ?? 10;
    const waves = planWaves(configs, canaryCount, maxInFlight);
    const planId = crypto.randomUUID();
    const steps: NewRolloutStep[] = waves.flatMap((wave, w) =>
      wave.map((c, i) => ({
        key: `host:${c.hostId}:deploy`,
        hostId: c.hostId,
        action: `deploy-${action}`,
        stage: w,
        sequence: i,
        detail: stepDetail(c, w, action, dto.action),
      })),
    );
    const settings = {
      canaryCount,
      maxInFlight,
      pauseSeconds: dto.pauseSeconds ?? 0,
      maxFailureRatio: dto.maxFailureRatio ?? 0.1,
      allowAcceptanceChange: dto.allowAcceptanceChange ?? false,
    };
    await this.prisma.$transaction(async (tx) => {
      await this.store.rollouts.insertPlan(tx, {
        id: planId,
        reason: dto.reason ?? `${dto.action} rollout by ${ctx.actor}`,
        createdBy: ctx.actor,
        targets: dto.target,
        detail: { requestedAction: dto.action, waveCount: waves.length, hostCount: configs.length },
        steps,
      });
      const rollout = await tx.rollout.create({
        data: {
          action: ROLLOUT_ACTION[action],
          artifactId: artifact?.id ?? null,
          planId,
          target: dto.target as unknown as Prisma.InputJsonValue,
          ...settings,
        },
      });
      await this.audit.record(tx, ctx, {
        action: 'rollout.create',
        resourceType: 'rollouts',
        resourceId: rollout.id,
        after: {
          ...settings,
          action: dto.action,
          artifactId: artifact?.id ?? null,
          target: dto.target,
          hosts: configs.length,
          waves: waves.length,
        },
      });
    });
    await this.kick(planId);
    return planId;
  }

  public async kick(planId: string): Promise<void> {
    try {
      await this.producer.add(JobName.RolloutAdvance, { planId }, { jobId: rolloutAdvanceJobId(planId) });
    } catch (error) {
      this.logger.warn(
        `rollout ${planId} saved but not kicked (${error instanceof Error ? error.message : String(error)}); the worker reconciler will start it`,
      );
    }
  }

  private async artifact(dto: CreateRolloutDto, action: DeployAction): Promise<Artifact | null> {
    if (action === 'install' && dto.artifactId === undefined)
      throw ApiError.badRequest(`a ${dto.action} rollout needs an artifact`, [
        { field: 'artifactId', reason: `is required for ${dto.action}` },
      ]);
    if (dto.artifactId === undefined) return null;
    const artifact = await this.prisma.artifact.findUnique({ where: { id: dto.artifactId } });
    if (!artifact) throw ApiError.unknownReference('artifactId', `artifact ${dto.artifactId} does not exist`);
    // Configure / uninstall use the artifact only for the VIB name and version ranges.
    return action === 'install' ? artifact : null;
  }

  private async resolveHosts(dto: CreateRolloutDto, artifact: Artifact | null): Promise<string[]> {
    const { drifted, ...selectors } = dto.target;
    const targets: PlanTargets = selectors;
    const anySelector =
      targets.all === true ||
      (targets.hosts?.length ?? 0) > 0 ||
      (targets.groups?.length ?? 0) > 0 ||
      (targets.tags?.length ?? 0) > 0;
    const where = drifted === true && !anySelector ? {} : hostFilter(targets);
    if (where === null) return [];
    const ids = (await this.prisma.host.findMany({ where, select: { id: true }, orderBy: { name: 'asc' } })).map(
      (h) => h.id,
    );
    if (drifted !== true) return ids;
    const drift = await this.drift.drift(ids, artifact);
    const keep = new Set(drift.filter((d) => d.drifted).map((d) => d.hostId));
    return ids.filter((id) => keep.has(id));
  }
}

function stepDetail(
  c: HostDesiredConfig,
  wave: number,
  action: DeployAction,
  requested: RolloutRequestedAction,
): RolloutStepDetail {
  const base = { kind: 'deploy-host' as const, hostName: c.hostName, wave, action, requestedAction: requested };
  if (action === 'uninstall') return base;
  if (!c.ok) return { ...base, problems: c.problems };
  return { ...base, userVars: withoutPassword(c.userVars), passwordFrom: c.passwordFrom, warnings: c.warnings };
}
