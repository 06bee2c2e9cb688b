import { Injectable } from '@nestjs/common';

import { AUTOMATIC_PLAN_CREATOR, type CancelRequest, type CancelResult, isOperatorCancel } from '@nutfleet/plan';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { PlanFactory } from './plan-factory.service';

export { type CancelResult } from '@nutfleet/plan';

/**
 * Cancels what has not started (PENDING/QUEUED steps); running steps finish — a command may be
 * on its way to a host. Used by `POST /plans/:id/cancel` (an operator) and by the planners (power
 * back before the point of no return, a paused restart): `by` records which, because only an
 * operator's cancel is a decision the next evaluation must respect. The worker finishes the plan
 * (CANCELLED) once nothing runs any more.
 */
@Injectable()
export class PlanCancelService {
  public constructor(
    private readonly store: OrchestratorPlanStore,
    private readonly factory: PlanFactory,
  ) {}

  public async cancel(planId: string, request: CancelRequest): Promise<CancelResult> {
    const now = new Date();
    const result = await this.store.writes.cancel(planId, request, now);
    if (result.kind !== 'cancelled') return result;
    // An operator stopping an outage's automatic shutdown is a decision: nutfleet plans nothing
    // more for that outage by itself (the next outage is armed again).
    const { plan } = result;
    if (isOperatorCancel(request.by) && plan.outageId !== null && plan.createdBy === AUTOMATIC_PLAN_CREATOR)
      await this.store.outages.disarm(plan.outageId, request.by, now);
    await this.factory.kick(planId);
    return result;
  }
}
