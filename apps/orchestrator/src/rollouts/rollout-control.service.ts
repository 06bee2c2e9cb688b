import { Injectable } from '@nestjs/common';

import { type Prisma, PrismaService } from '@nutfleet/db';

import { type AuditContext, AuditService } from '../auth';
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
    private readonly factory: RolloutFactory,
    private readonly audit: AuditService,
  ) {}

  public async cancel(id: string, reason: string, ctx: AuditContext): Promise<{ cancelledHosts: number }> {
    const now = new Date();
    const result = await this.prisma.$transaction(async (tx) => {
      const rollout = await this.find(tx, id);
      if (rollout.plan.state !== 'PENDING' && rollout.plan.state !== 'RUNNING')
        throw ApiError.conflict('state', `rollout is already ${rollout.plan.state}`);
      await tx.plan.updateMany({ where: { id: rollout.planId, cancelledAt: null }, data: { cancelledAt: now } });
      const { count } = await tx.planStep.updateMany({
        where: { planId: rollout.planId, state: { in: ['PENDING', 'QUEUED'] } },
        data: { state: 'CANCELLED', finishedAt: now, error: `cancelled: ${reason}` },
      });
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
      const { count } = await tx.planStep.updateMany({
        where: { planId: rollout.planId, state: { in: ['CANCELLED', 'FAILED'] } },
        data: { state: 'PENDING', finishedAt: null, error: null, jobId: null },
      });
      const { stopped: _stopped, ...detail } = (rollout.plan.detail ?? {}) as Record<string, unknown>;
      await tx.plan.update({
        where: { id: rollout.planId },
        data: { state: 'RUNNING', finishedAt: null, cancelledAt: null, detail: detail as Prisma.InputJsonValue },
      });
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

  private async find(tx: Prisma.TransactionClient, id: string) {
    const rollout = await tx.rollout.findFirst({ where: { OR: [{ id }, { planId: id }] }, include: { plan: true } });
    if (!rollout) throw ApiError.notFound('rollout', id);
    return rollout;
  }
}
