import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { isLeftOff, type PlanMode, type RestartPlanDetail } from '@nutfleet/plan';
import { buildRestartPlan, type RestartGatePolicy, type RestartPlan } from '@nutfleet/power';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { type FleetSnapshot, FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { PlanFactory } from '../plans/plan-factory.service';
import { type PlanTargets } from '../plans/plan-targets';
import { type RestartContext, RestartContextLoader } from './restart-context.loader';
import { restartStepRows } from './restart-steps.mapper';

/** The Prisma model's defaults: only when even the default policy row is missing. */
const DEFAULT_GATE_POLICY: RestartGatePolicy = { stableSeconds: 300, minChargePercent: 50 };

export interface RestartPlanOptions {
  readonly hostIds: readonly string[];
  readonly includeHostsDownBeforeOutage: boolean;
  /** Wake → verified budget per host; default RESTART_HOST_TIMEOUT_SECONDS. */
  readonly hostTimeoutSeconds?: number;
  /** Follow this shutdown plan; default the latest finished armed one. */
  readonly shutdownPlanId?: string;
}

export interface CreateRestartPlanInput extends RestartPlanOptions {
  readonly mode: PlanMode;
  readonly reason: string;
  readonly createdBy: string;
  readonly targets: PlanTargets | { readonly automatic: true; readonly outageId?: string };
  readonly dedupKey?: string;
  /** The outage this restart ends. */
  readonly outageId?: string;
}

export interface RestartPreview {
  readonly plan: RestartPlan;
  readonly detail: RestartPlanDetail;
}

/**
 * Restart plans: `buildRestartPlan()` over the inventory as it was before the outage (Host.facts
 * still hold the VMs that were running), who was up from the last shutdown, the strictest gate
 * policy of the hosts; then the Plan and its steps in one transaction and a `plan.advance` kick
 * (the same engine as shutdown plans runs it).
 */
@Injectable()
export class RestartPlanFactory {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly contexts: RestartContextLoader,
    private readonly plans: PlanFactory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async preview(options: RestartPlanOptions, now = Date.now()): Promise<RestartPreview> {
    const [snapshot, context] = await Promise.all([
      this.snapshots.load(now),
      this.contexts.load(options.shutdownPlanId),
    ]);
    return this.build('preview', options, snapshot, context);
  }

  /** Returns the plan and whether this call created it (false: the dedup key already existed). */
  public async create(input: CreateRestartPlanInput): Promise<{ planId: string; created: boolean; hostCount: number }> {
    if (input.dedupKey !== undefined) {
      const existing = await this.store.reads.findIdByDedupKey(input.dedupKey);
      if (existing !== undefined) return { planId: existing, created: false, hostCount: 0 };
    }
    const planId = crypto.randomUUID();
    const [snapshot, context] = await Promise.all([this.snapshots.load(), this.contexts.load(input.shutdownPlanId)]);
    const { plan, detail } = await this.build(planId, input, snapshot, context);
    const inserted = await this.store.writes.insertPlan({
      id: planId,
      kind: 'RESTART',
      mode: input.mode,
      reason: input.reason,
      createdBy: input.createdBy,
      targets: input.targets,
      detail,
      ...(input.dedupKey !== undefined ? { dedupKey: input.dedupKey } : {}),
      ...(input.outageId !== undefined ? { outageId: input.outageId } : {}),
      steps: restartStepRows(plan),
      createdAt: new Date(),
    });
    if (!inserted.created) return { planId: inserted.planId, created: false, hostCount: 0 };
    await this.prisma.powerEvent.create({
      data: {
        type: 'PLAN',
        planId,
        data: {
          event: 'restart-created',
          waves: plan.waves.map((w) => ({ wave: w.wave, hosts: w.hostIds.length, upsIds: [...w.upsIds] })),
          skipped: plan.skipped.length,
          shutdownPlanId: context.shutdownPlanId ?? null,
        },
      },
    });
    await this.plans.kick(planId);
    return { planId, created: true, hostCount: detail.hostIds.length };
  }

  private async build(
    planKey: string,
    options: RestartPlanOptions,
    snapshot: FleetSnapshot,
    context: RestartContext,
  ): Promise<RestartPreview> {
    const wanted = new Set(options.hostIds);
    const hosts = snapshot.hosts.filter((h) => wanted.has(h.id));
    const leftOff = await this.leftOffBy(hosts.map((h) => h.id));
    const plan = buildRestartPlan({
      planKey,
      hosts: hosts.map((host) => {
        const by = leftOff.get(host.id);
        return { host, wasUpBeforeOutage: context.upBeforeOutage.has(host.id), ...(by ? { leftOffBy: by } : {}) };
      }),
      feeds: snapshot.feeds,
      includeHostsDownBeforeOutage: options.includeHostsDownBeforeOutage,
      hostTimeoutSeconds: options.hostTimeoutSeconds ?? this.config.plans.restartHostTimeoutSeconds,
    });
    const chosen = plan.waves.flatMap((w) => w.hostIds);
    const detail: RestartPlanDetail = {
      kind: 'restart',
      hostIds: chosen,
      upsIds: [...new Set(plan.waves.flatMap((w) => w.upsIds))].sort(),
      waves: plan.waves.map((w) => ({ ...w, hostIds: [...w.hostIds], upsIds: [...w.upsIds] })),
      hostTimeoutSeconds: plan.hostTimeoutSeconds,
      gatePolicy: await this.gatePolicy(chosen),
      lastShutdown: context.lastShutdown ?? null,
      skipped: plan.skipped.map((s) => ({ ...s })),
      includeHostsDownBeforeOutage: options.includeHostsDownBeforeOutage,
      shutdownPlanId: context.shutdownPlanId ?? null,
    };
    return { plan, detail };
  }

  /** Hosts an operator left off, with the decision's source (who, and when it was said). */
  private async leftOffBy(hostIds: readonly string[]): Promise<Map<string, string>> {
    if (hostIds.length === 0) return new Map();
    const rows = await this.prisma.host.findMany({
      where: { id: { in: [...hostIds] } },
      select: { id: true, powerStateSource: true },
    });
    return new Map(
      rows
        .filter((r) => isLeftOff({ source: r.powerStateSource }))
        .map((r) => [r.id, r.powerStateSource ?? 'an operator']),
    );
  }

  /** With mixed policies the strictest binds every wave: the longest window, the highest charge. */
  private async gatePolicy(hostIds: readonly string[]): Promise<RestartGatePolicy> {
    if (hostIds.length === 0) return DEFAULT_GATE_POLICY;
    const [hosts, fallback] = await Promise.all([
      this.prisma.host.findMany({
        where: { id: { in: [...hostIds] } },
        select: { policy: true, group: { select: { policy: true } } },
      }),
      this.prisma.policy.findFirst({ where: { isDefault: true } }),
    ]);
    // A host without a policy of its own or of its group follows the default policy row.
    const policies = hosts.map((h) => h.policy ?? h.group?.policy ?? fallback);
    const stable = policies.map((p) => p?.restartStableSeconds ?? DEFAULT_GATE_POLICY.stableSeconds);
    const charge = policies.map((p) => p?.restartMinChargePercent ?? DEFAULT_GATE_POLICY.minChargePercent);
    return { stableSeconds: Math.max(...stable), minChargePercent: Math.max(...charge) };
  }
}
