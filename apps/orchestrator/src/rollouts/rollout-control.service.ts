import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import { type PlanTransaction } from '@nutfleet/plan';

import { type AuditContext, AuditService } from '../auth';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { ApiError } from '../http/api-error';
import { RolloutFactory } from './rollout.factory';

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

  public async resume(id: string, ctx: AuditContext): Promise<{ resumedHosts: number }> {
    const result = await this.prisma.$transaction(async (tx) => {
      const rollout = await this.find(tx, id);
      if (rollout.plan.state === 'SUCCEEDED')
        throw ApiError.conflict('state', 'rollout already succeeded: nothing to resume');
      const { stopped: _stopped, ...detail } = (rollout.plan.detail ?? {}) as Record<string, unknown>;
      const count = await this.store.rollouts.resume(tx, rollout.planId, detail);
      await this.audit.record(tx, ctx, {
        action: 'rollout.resume',
        resourceType: 'rollouts',
        resourceId: rollout.id,
        before: { state: rollout.plan.state },
        after: { state: 'RUNNING', resumedHosts: count },
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
