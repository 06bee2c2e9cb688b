import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { type PlanTransaction } from '@nutfleet/plan';

import { type AuditContext, AuditService } from '../auth';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { ApiError } from '../http/api-error';
import { RolloutFactory } from './rollout.factory';

/** What a resume may change (RolloutResumeDto). */
export interface RolloutResumeOptions {
  allowAcceptanceChange?: boolean;
  maxFailureRatio?: number;
  pauseSeconds?: number;
}

/**
 * Cancel: hosts not started (PENDING/QUEUED) are CANCELLED; hosts in flight finish (a command may
 * be on its way). Resume: after a cancel, a failure-ratio stop or failed hosts, the CANCELLED and
 * FAILED hosts go back to PENDING with their journals kept (finished deploy steps are not
 * repeated) and the rollout runs again from its first unfinished wave.
 */
@Injectable()
export class RolloutControlService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly factory: RolloutFactory,
    private readonly audit: AuditService,
  ) {}

  public async cancel(id: string, reason: string, ctx: AuditContext): Promise<{ cancelledHosts: number }> {
    const now = new Date();
    const result = await this.prisma.$transaction(async (tx) => {
      const rollout = await this.find(tx, id);
      if (rollout.plan.state !== 'PENDING' && rollout.plan.state !== 'RUNNING')
        throw ApiError.conflict('state', `rollout is already ${rollout.plan.state}`);
      const count = await this.store.rollouts.cancel(tx, rollout.planId, reason, now);
      await this.audit.record(tx, ctx, {
        action: 'rollout.cancel',
        resourceType: 'rollouts',
        resourceId: rollout.id,
        after: { reason, cancelledHosts: count },
      });
      return { planId: rollout.planId, cancelledHosts: count };
    });
    await this.factory.kick(result.planId);
    return { cancelledHosts: result.cancelledHosts };
  }

  public async resume(id: string, options: RolloutResumeOptions, ctx: AuditContext): Promise<{ resumedHosts: number }> {
    const result = await this.prisma.$transaction(async (tx) => {
      const rollout = await this.find(tx, id);
      if (rollout.plan.state === 'SUCCEEDED')
        throw ApiError.conflict('state', 'rollout already succeeded: nothing to resume');
      const { stopped: _stopped, ...detail } = (rollout.plan.detail ?? {}) as Record<string, unknown>;
      // The worker reads these from the row at each wave and host: changed here, they apply from now.
      const changed = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
      if (Object.keys(changed).length > 0) await tx.rollout.update({ where: { id: rollout.id }, data: changed });
      const count = await this.store.rollouts.resume(tx, rollout.planId, detail);
      await this.audit.record(tx, ctx, {
        action: 'rollout.resume',
        resourceType: 'rollouts',
        resourceId: rollout.id,
        before: {
          state: rollout.plan.state,
          ...Object.fromEntries(Object.keys(changed).map((k) => [k, rollout[k as keyof RolloutResumeOptions]])),
        },
        after: { state: 'RUNNING', resumedHosts: count, ...changed },
      });
      return { planId: rollout.planId, resumedHosts: count };
    });
    await this.factory.kick(result.planId);
    return { resumedHosts: result.resumedHosts };
  }

  private async find(tx: PlanTransaction, id: string) {
    const rollout = await this.store.rollouts.findRolloutForControl(tx, id);
    if (!rollout) throw ApiError.notFound('rollout', id);
    return rollout;
  }
}
