import { Injectable } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';

import { PlanFactory } from './plan-factory.service';

export type CancelResult =
  | { readonly kind: 'cancelled'; readonly cancelledSteps: number }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'finished'; readonly state: string };

/**
 * Cancels what has not started (PENDING/QUEUED steps); running steps finish — a command may be
 * on its way to a host. Used by `POST /plans/:id/cancel` and by power coming back before the
 * point of no return. The worker finishes the plan (CANCELLED) once nothing runs any more.
 */
@Injectable()
export class PlanCancelService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly factory: PlanFactory,
  ) {}

  public async cancel(planId: string, reason: string): Promise<CancelResult> {
    const now = new Date();
    const result = await this.prisma.$transaction(async (tx) => {
      const plan = await tx.plan.findUnique({ where: { id: planId }, select: { state: true } });
      if (!plan) return { kind: 'not-found' } as const;
      if (plan.state !== 'PENDING' && plan.state !== 'RUNNING') return { kind: 'finished', state: plan.state } as const;
      await tx.plan.updateMany({ where: { id: planId, cancelledAt: null }, data: { cancelledAt: now } });
      const { count } = await tx.planStep.updateMany({
        where: { planId, state: { in: ['PENDING', 'QUEUED'] } },
        data: { state: 'CANCELLED', finishedAt: now, error: `cancelled: ${reason}` },
      });
      await tx.powerEvent.create({
        data: { type: 'PLAN', planId, data: { event: 'cancelled', reason, cancelledSteps: count } },
      });
      return { kind: 'cancelled', cancelledSteps: count } as const;
    });
    if (result.kind === 'cancelled') await this.factory.kick(planId);
    return result;
  }
}
