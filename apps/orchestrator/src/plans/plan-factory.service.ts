import { Injectable, Logger } from '@nestjs/common';

import { isUniqueViolation, Prisma, PrismaService, sqlCount, withSqlTransaction } from '@nutfleet/db';
import { buildShutdownPlan, type ShutdownPlan } from '@nutfleet/power';
import { jobId, JobName } from '@nutfleet/queue';

import { JobProducer } from '../queues/job-producer.service';
import { type FleetSnapshot, FleetSnapshotLoader } from './fleet-snapshot.loader';
import { insertPlanSteps, type PlanStepRow } from './plan-steps.writer';
import { hostFilter, type PlanTargets } from './plan-targets';

export interface CreateShutdownPlanInput {
  readonly hostIds: readonly string[];
  readonly mode: 'ARMED' | 'DRY_RUN';
  readonly reason: string;
  readonly createdBy: string;
  readonly targets: PlanTargets | { readonly automatic: true };
  /** One plan per key: a second create with the same key returns the first plan. */
  readonly dedupKey?: string;
  readonly snapshot?: FleetSnapshot;
}

/** What `Plan.detail` holds besides the columns (see plan.view.ts). */
export interface PlanDetail {
  readonly hostIds: string[];
  readonly upsIds: string[];
  readonly powerBackConfirmSeconds: number;
  readonly pointOfNoReturnSeconds: number;
  readonly built: Omit<ShutdownPlan, 'steps'>;
}

/**
 * Creates shutdown plans: `buildShutdownPlan()` over the current inventory, then the Plan and
 * all its steps in ONE transaction (a plan is never half-written), then a `plan.advance` kick.
 * If Redis is down the kick fails; the workers' reconciler starts the plan from PostgreSQL.
 */
@Injectable()
export class PlanFactory {
  private readonly logger = new Logger(PlanFactory.name);

  public constructor(
    private readonly prisma: PrismaService,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly producer: JobProducer,
  ) {}

  public async resolveHostIds(targets: PlanTargets): Promise<string[]> {
    const where = hostFilter(targets);
    if (where === null) return [];
    const rows = await this.prisma.host.findMany({ where, select: { id: true }, orderBy: { name: 'asc' } });
    return rows.map((r) => r.id);
  }

  public async preview(hostIds: readonly string[], now = Date.now()): Promise<ShutdownPlan> {
    return this.build('preview', hostIds, await this.snapshots.load(now));
  }

  /** Returns the plan and whether this call created it (false: the dedup key already existed). */
  public async create(input: CreateShutdownPlanInput): Promise<{ planId: string; created: boolean }> {
    if (input.dedupKey !== undefined) {
      const existing = await this.prisma.plan.findUnique({ where: { dedupKey: input.dedupKey }, select: { id: true } });
      if (existing) return { planId: existing.id, created: false };
    }
    const snapshot = input.snapshot ?? (await this.snapshots.load());
    const planId = crypto.randomUUID();
    const built = this.build(planId, input.hostIds, snapshot);
    const now = new Date();
    try {
      // Plain SQL on Prisma's pool: the plan of a 1,000-host outage is megabytes of JSON, and
      // passing it through Prisma's engine cost ~0.3 s more between the LB and the first command.
      await withSqlTransaction(this.prisma.pool, async (client) => {
        await sqlCount(
          client,
          `INSERT INTO "Plan" ("id", "kind", "mode", "state", "reason", "createdBy", "targets", "predictedSeconds",
                               "pointOfNoReturnAt", "detail", "dedupKey", "createdAt")
           VALUES ($1::uuid, 'SHUTDOWN'::"PlanKind", $2::"PlanMode", 'PENDING'::"PlanState", $3, $4, $5::jsonb, $6,
                   $7::timestamp(3), $8::jsonb, $9, $10::timestamp(3))`,
          [
            planId,
            input.mode,
            input.reason,
            input.createdBy,
            JSON.stringify(input.targets),
            Math.ceil(built.predictedDurationSeconds),
            new Date(built.pointOfNoReturnAt).toISOString(),
            JSON.stringify(this.detail(built, input.hostIds, snapshot)),
            input.dedupKey ?? null,
            now.toISOString(),
          ],
        );
        await insertPlanSteps((text, values) => sqlCount(client, text, values), planId, stepRows(built, 0), now);
      });
    } catch (error) {
      // Two replicas (or two events) racing on one outage: the unique dedup key lets one win.
      if (input.dedupKey !== undefined && isUniqueViolation(error, 'Plan_dedupKey_key')) {
        const existing = await this.prisma.plan.findUniqueOrThrow({ where: { dedupKey: input.dedupKey } });
        return { planId: existing.id, created: false };
      }
      throw error;
    }
    await this.kick(planId);
    return { planId, created: true };
  }

  /**
   * Adds hosts that became critical later in the same outage to its plan: new steps only (step
   * keys are unique per plan, so a host is never added twice), deadlines counted from now; a plan
   * that had already finished runs again for them.
   */
  public async extend(planId: string, hostIds: readonly string[], snapshot: FleetSnapshot): Promise<number> {
    const present = await this.prisma.planStep.findMany({
      where: { planId },
      select: { hostId: true },
      distinct: ['hostId'],
    });
    const known = new Set(present.map((p) => p.hostId));
    const fresh = hostIds.filter((id) => !known.has(id));
    if (fresh.length === 0) return 0;
    const built = this.build(planId, fresh, snapshot);
    const offset = await this.prisma.planStep.count({ where: { planId } });
    await this.prisma.$transaction(async (tx) => {
      const plan = await tx.plan.findUniqueOrThrow({ where: { id: planId } });
      await insertPlanSteps(
        (text, values) => tx.$executeRawUnsafe(text, ...values),
        planId,
        stepRows(built, offset),
        new Date(),
      );
      const detail = (plan.detail ?? {}) as unknown as PlanDetail;
      const upsIds = new Set([...(detail.upsIds ?? []), ...this.upsIdsOf(fresh, snapshot)]);
      await tx.plan.update({
        where: { id: planId },
        data: {
          detail: {
            ...detail,
            hostIds: [...(detail.hostIds ?? []), ...fresh],
            upsIds: [...upsIds],
          } as unknown as Prisma.InputJsonValue,
          ...(plan.state === 'SUCCEEDED' || plan.state === 'FAILED' ? { state: 'RUNNING', finishedAt: null } : {}),
        },
      });
    });
    await this.kick(planId);
    return fresh.length;
  }

  public async kick(planId: string): Promise<void> {
    try {
      await this.producer.add(JobName.PlanAdvance, { planId }, { jobId: jobId('plan', planId, 'advance') });
    } catch (error) {
      this.logger.warn(
        `plan ${planId} saved but not kicked (${error instanceof Error ? error.message : String(error)}); the worker reconciler will start it`,
      );
    }
  }

  private build(planKey: string, hostIds: readonly string[], snapshot: FleetSnapshot): ShutdownPlan {
    const wanted = new Set(hostIds);
    return buildShutdownPlan({
      planKey,
      hosts: snapshot.hosts.filter((h) => wanted.has(h.id)),
      feeds: snapshot.feeds,
      policies: snapshot.policies,
      histories: snapshot.histories,
      now: snapshot.now,
    });
  }

  private upsIdsOf(hostIds: readonly string[], snapshot: FleetSnapshot): string[] {
    const wanted = new Set(hostIds);
    return [...new Set(snapshot.feeds.filter((f) => wanted.has(f.hostId)).map((f) => f.upsId))].sort();
  }

  private detail(built: ShutdownPlan, hostIds: readonly string[], snapshot: FleetSnapshot): PlanDetail {
    const { steps: _steps, ...rest } = built;
    const wanted = new Set(hostIds);
    const used = new Set(snapshot.hosts.filter((h) => wanted.has(h.id)).map((h) => h.policyId));
    const policies = snapshot.policies.filter((p) => used.has(p.id));
    return {
      hostIds: [...hostIds],
      upsIds: this.upsIdsOf(hostIds, snapshot),
      // With mixed policies the strictest binds the whole plan (as the builder does for the PONR).
      powerBackConfirmSeconds: Math.max(0, ...policies.map((p) => p.powerBackConfirmSeconds)),
      pointOfNoReturnSeconds: policies.length > 0 ? Math.min(...policies.map((p) => p.pointOfNoReturnSeconds)) : 60,
      built: rest,
    };
  }
}

function stepRows(built: ShutdownPlan, sequenceOffset: number): PlanStepRow[] {
  return built.steps.map((step, index) => ({
    key: step.key,
    hostId: step.hostId,
    action: step.kind,
    stage: step.stage,
    sequence: sequenceOffset + index,
    dependsOn: [...step.dependsOn],
    deadlineAt: new Date(step.deadlineAt),
    detail: {
      kind: step.kind,
      hostName: step.hostName,
      ...(step.vmId !== undefined ? { vmId: step.vmId, vmName: step.vmName ?? null, batch: step.batch ?? 0 } : {}),
      ladder: step.ladder.map((r) => ({ action: r.action, timeoutSeconds: r.timeoutSeconds })),
      startOffsetSeconds: step.startOffsetSeconds,
      deadlineOffsetSeconds: step.deadlineOffsetSeconds,
      predictedStartSeconds: step.predictedStartSeconds,
      predictedEndSeconds: step.predictedEndSeconds,
      why: step.why,
    },
  }));
}
