import { sqlRows, withSqlTransaction } from '@nutfleet/db';

import { TERMINAL_STEP_STATES } from '../step-state';
import { type PlanDatabase } from './plan-database';
import { insertStepRowsSql } from './plan-step-rows';
import { type QueuedNewStep } from './plan-writes.store';

/** What writing a plan's pending steps did. */
export interface PendingStepsWritten {
  /** Rows written QUEUED (given a job at the plan's creation), for the caller to add their jobs. */
  readonly queued: readonly QueuedNewStep[];
  /**
   * A step of the plan had already ended: steps waiting on it may start now, and no step end
   * will ask for the advance that queues them.
   */
  readonly advanceNeeded: boolean;
}

/**
 * The steps a new plan saved as a document (NewPlan.laterSteps, in PendingPlanSteps) made rows,
 * by whoever comes first: the orchestrator right after its insert, or a worker's reconciler when
 * the orchestrator died in between. Both at once is safe: a writer locks the document's row
 * before taking it, and the second, once the first commits, finds it gone.
 */
export class PendingStepsStore {
  public constructor(private readonly db: PlanDatabase) {}

  /** Whether the plan still has steps to write (it cannot end before). */
  public async has(planId: string): Promise<boolean> {
    const rows = await sqlRows<{ planId: string }>(
      this.db.pool,
      `SELECT "planId"::text AS "planId" FROM "PendingPlanSteps" WHERE "planId" = $1::uuid`,
      [planId],
    );
    return rows.length > 0;
  }

  /**
   * Steps of the plan whose first command is not out yet: queued, or running without a write-ahead
   * mark (a VM step's saved progress, a host power-off's `commandSentAt`). Before its pending steps
   * are written, a plan's rows are its hosts' lead steps.
   */
  public async unsentSteps(planId: string): Promise<number> {
    const rows = await sqlRows<{ count: number }>(
      this.db.pool,
      `SELECT count(*)::int AS "count" FROM "PlanStep"
        WHERE "planId" = $1::uuid
          AND ("state" = 'QUEUED'::"StepState"
               OR ("state" = 'RUNNING'::"StepState" AND "progress" IS NULL AND "commandSentAt" IS NULL))`,
      [planId],
    );
    return rows[0]?.count ?? 0;
  }

  /** The plans with steps still to write (usually none: a plan's creator writes them within seconds). */
  public async planIds(): Promise<string[]> {
    const rows = await sqlRows<{ planId: string }>(
      this.db.pool,
      `SELECT "planId"::text AS "planId" FROM "PendingPlanSteps" ORDER BY "createdAt"`,
      [],
    );
    return rows.map((r) => r.planId);
  }

  /**
   * Writes the plan's pending steps, in one transaction with the document's removal; undefined
   * when none were pending (written already, or never saved). A plan cancelled before gets them
   * CANCELLED: the cancel updates the plan's row, which this locks first, so either the cancel
   * sees these rows or they see the cancel.
   */
  public write(planId: string, now: Date): Promise<PendingStepsWritten | undefined> {
    return withSqlTransaction(this.db.pool, async (client) => {
      const [plan] = await sqlRows<{ cancelledBy: string | null; cancelled: boolean }>(
        client,
        `SELECT "cancelledBy", "cancelledAt" IS NOT NULL AS "cancelled" FROM "Plan" WHERE "id" = $1::uuid FOR SHARE`,
        [planId],
      );
      if (plan === undefined) return undefined;
      // Waits for a writer that came first; then it is gone.
      const pending = await sqlRows<{ planId: string }>(
        client,
        `SELECT "planId"::text AS "planId" FROM "PendingPlanSteps" WHERE "planId" = $1::uuid FOR UPDATE`,
        [planId],
      );
      if (pending.length === 0) return undefined;
      const document = `document AS (DELETE FROM "PendingPlanSteps" WHERE "planId" = $1::uuid RETURNING "steps" AS "rows")`;
      const queued = await sqlRows<QueuedNewStep>(client, insertStepRowsSql(document), [
        planId,
        now.toISOString(),
        plan.cancelled
          ? `cancelled: the plan was cancelled (${plan.cancelledBy ?? 'unknown'}) before this step was written`
          : null,
      ]);
      const [ended] = await sqlRows<{ ended: boolean }>(
        client,
        `SELECT EXISTS (SELECT 1 FROM "PlanStep" WHERE "planId" = $1::uuid AND "state"::text = ANY($2::text[])) AS "ended"`,
        [planId, TERMINAL_STEP_STATES],
      );
      return { queued, advanceNeeded: ended?.ended === true };
    });
  }
}
