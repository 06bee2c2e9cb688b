import { sqlCount, sqlRows } from '@nutfleet/db';

import {
  HOST_POWER_STATE_COLUMN,
  type HostPowerObservation,
  type HostPowerRecord,
  hostPowerStateOfColumn,
  nextHostPowerState,
} from '../host-power-state';
import { AUTOMATIC_PLAN_CREATOR } from '../plan-kinds';
import { type PlanDatabase } from './plan-database';

interface PowerRow {
  readonly powerState: string;
  readonly powerStateSince: Date | null;
  readonly powerStateSource: string | null;
  readonly powerStatePlanId: string | null;
  readonly wakeAfterOutage: boolean;
}

/** Attempts at a compare-and-set before giving up to a writer that keeps winning. */
const MAX_ATTEMPTS = 5;

/**
 * The one writer of a host's power columns (`Host.powerState`, `…Since`, `…Source`,
 * `…PlanId`, `wakeAfterOutage`). Each observation is applied by `nextHostPowerState` to the row
 * as read, then written only if the row is still what was read (compare-and-set), so two
 * observers racing (a plan step and the return probe, two workers) never lose one's news and an
 * older observation never overwrites a newer one.
 */
export class HostPowerStore {
  public constructor(private readonly db: PlanDatabase) {}

  public async current(hostId: string): Promise<HostPowerRecord | undefined> {
    const [row] = await sqlRows<PowerRow>(
      this.db.pool,
      `SELECT "powerState"::text AS "powerState", "powerStateSince", "powerStateSource",
              "powerStatePlanId"::text AS "powerStatePlanId", "wakeAfterOutage"
         FROM "Host" WHERE "id" = $1::uuid`,
      [hostId],
    );
    return row === undefined ? undefined : recordOf(row);
  }

  /** Applies an observation; returns the new record, or undefined when it changed nothing. */
  public async observe(hostId: string, observation: HostPowerObservation): Promise<HostPowerRecord | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.current(hostId);
      if (current === undefined) return undefined;
      const next = nextHostPowerState(current, observation);
      if (next === undefined) return undefined;
      const written = await sqlCount(
        this.db.pool,
        `UPDATE "Host"
            SET "powerState" = $2::"HostPowerState", "powerStateSince" = $3::timestamp(3),
                "powerStateSource" = $4, "powerStatePlanId" = $5::uuid, "wakeAfterOutage" = $6,
                "updatedAt" = now()
          WHERE "id" = $1::uuid AND "powerState"::text = $7
            AND "powerStateSince" IS NOT DISTINCT FROM $8::timestamp(3)
            AND "powerStateSource" IS NOT DISTINCT FROM $9 AND "wakeAfterOutage" = $10`,
        [
          hostId,
          HOST_POWER_STATE_COLUMN[next.state],
          next.since?.toISOString() ?? null,
          next.source,
          next.planId,
          next.wakeAfterOutage,
          HOST_POWER_STATE_COLUMN[current.state],
          current.since?.toISOString() ?? null,
          current.source,
          current.wakeAfterOutage,
        ],
      );
      if (written === 1) return next;
    }
    return undefined;
  }

  /** Whether a plan is one nutfleet made by itself for an outage (its power-offs owe a wake). */
  public async isAutomaticPlan(planId: string): Promise<boolean> {
    const [row] = await sqlRows<{ automatic: boolean }>(
      this.db.pool,
      `SELECT "createdBy" = $2 AS "automatic" FROM "Plan" WHERE "id" = $1::uuid`,
      [planId, AUTOMATIC_PLAN_CREATOR],
    );
    return row?.automatic ?? false;
  }

  /**
   * Hosts known off to probe for a return, at most `limit`, least recently established first.
   * Hosts a running restart plan is waking are left to it (its own steps verify them).
   */
  public async knownOff(
    limit: number,
  ): Promise<Array<{ id: string; name: string; address: string; sshPort: number; hostKeyFingerprint: string | null }>> {
    return sqlRows(
      this.db.pool,
      `SELECT h."id"::text AS "id", h."name", h."address", h."sshPort", h."hostKeyFingerprint" FROM "Host" h
        WHERE h."powerState" = 'OFF'::"HostPowerState"
          AND NOT EXISTS (SELECT 1 FROM "PlanStep" s JOIN "Plan" p ON p."id" = s."planId"
                           WHERE s."hostId" = h."id" AND p."kind" = 'RESTART'::"PlanKind"
                             AND p."state" IN ('PENDING'::"PlanState", 'RUNNING'::"PlanState"))
        ORDER BY h."powerStateSince" ASC NULLS FIRST LIMIT $1`,
      [limit],
    );
  }
}

function recordOf(row: PowerRow): HostPowerRecord {
  return {
    state: hostPowerStateOfColumn(row.powerState),
    since: row.powerStateSince,
    source: row.powerStateSource,
    planId: row.powerStatePlanId,
    wakeAfterOutage: row.wakeAfterOutage,
  };
}
