import { type Host, type Plan, type PlanStep, type Prisma, sqlCount, sqlRows } from '@nutfleet/db';
import { MicroBatcher } from '@nutfleet/runtime';

import { type PlanKind, type PlanState } from '../plan-kinds';
import { type StepView } from '../runnable-steps';
import { allowedPredecessors, predecessorsOrThrow, type StepState } from '../step-state';
import { columns, inLockOrder, type PlanDatabase, wonBy } from './plan-database';

/** Prefix of the host's columns in a claim's row (no PlanStep column starts with it). */
const HOST_PREFIX = 'h_';

/**
 * A step a worker has just claimed (→ RUNNING), with what running it needs, all read by the
 * claim's own statement: the plan's kind and mode (not its large `detail`) and the host's columns
 * the store was built for (null when the step has no host, or the host was deleted).
 */
export type ClaimedStepRow<HostRow> = PlanStep & {
  readonly plan: Pick<Plan, 'id' | 'kind' | 'mode'>;
  readonly host: HostRow | null;
};

export type FinishedStepState = Extract<StepState, 'SUCCEEDED' | 'FAILED' | 'SKIPPED'>;

export type PlanOutcomeState = Extract<PlanState, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>;

interface ProgressWrite {
  readonly stepId: string;
  readonly progress: Prisma.InputJsonValue;
  readonly output: string | undefined;
}

interface FinishWrite {
  readonly stepId: string;
  readonly state: FinishedStepState;
  readonly output: string | undefined;
  readonly error: string | null;
  readonly at: Date;
}

/**
 * A RUNNING step nothing touched for this long lost its carrier (a worker killed): another may
 * take it over. Direct runs heartbeat well within it; a BullMQ job is re-delivered under its own id.
 */
export const STALE_RUNNING_SECONDS = 20;

interface ClaimRequest {
  readonly stepId: string;
  readonly claimant: string;
}

type ClaimRow = PlanStep & { planKind: Plan['kind']; planMode: Plan['mode'] } & Record<`h_${string}`, unknown>;

/**
 * The statements a running shutdown or restart plan repeats per step (claim, progress, power-off
 * claim, finish, the advancer's reads), as plain SQL on the pg pool under Prisma, with the
 * per-step writes batched (MicroBatcher: writes arriving together share one statement, each row
 * keeping its own condition and answer). Why: a 1,000-host stage starts ~3,000 steps at once;
 * through Prisma, one statement and one commit each, the last host's first command waited
 * seconds for the database. Every state change takes its WHERE clause from the step machine.
 */
export class StepExecutionStore<HostColumn extends keyof Host = never> {
  private readonly claimSelect: string;
  private readonly claims = new MicroBatcher((requests: readonly ClaimRequest[]) => this.claimBatch(requests));
  private readonly progressWrites = new MicroBatcher((writes: readonly ProgressWrite[]) =>
    this.saveProgressBatch(writes),
  );
  private readonly finishes = new MicroBatcher((writes: readonly FinishWrite[]) => this.finishBatch(writes));
  private readonly powerOffClaims = new MicroBatcher((claims: ReadonlyArray<{ stepId: string; at: Date }>) =>
    this.claimPowerOffBatch(claims),
  );

  /** `hostColumns`: the Host columns a claim returns with the step (what reaching the host needs). */
  public constructor(
    private readonly db: PlanDatabase,
    hostColumns: readonly HostColumn[] = [],
  ) {
    this.claimSelect = [
      'c.*',
      `p."kind" AS "planKind"`,
      `p."mode" AS "planMode"`,
      ...hostColumns.map((column) => `h."${String(column)}" AS "${HOST_PREFIX}${String(column)}"`),
    ].join(', ');
  }

  public async findPlan(planId: string): Promise<Pick<Plan, 'id' | 'kind' | 'state' | 'cancelledAt'> | null> {
    const rows = await sqlRows<Pick<Plan, 'id' | 'kind' | 'state' | 'cancelledAt'>>(
      this.db.pool,
      `SELECT "id"::text AS "id", "kind"::text AS "kind", "state"::text AS "state", "cancelledAt"
         FROM "Plan" WHERE "id" = $1::uuid`,
      [planId],
    );
    return rows[0] ?? null;
  }

  /**
   * What the scheduler needs of every step of a plan. Read on every advance (each finished step
   * asks for one), so it is kept lean: dependencies only of steps not started yet (the only ones
   * they can hold back), deadlines as epoch milliseconds. Dependencies come as JSON: `pg` parses
   * a text[] in JavaScript, character by character, which showed among the top costs of a worker's
   * advances in a 5,000-host plan's CPU profile; JSON.parse is native.
   */
  public async stepViews(planId: string): Promise<StepView[]> {
    const rows = await sqlRows<Omit<StepView, 'dependsOn'> & { dependsOn: string[] | null }>(
      this.db.pool,
      `SELECT "id"::text AS "id", "key", "stage", "hostId"::text AS "hostId", "state"::text AS "state",
              CASE WHEN "state" = 'PENDING'::"StepState" THEN to_json("dependsOn") END AS "dependsOn",
              (extract(epoch FROM "deadlineAt") * 1000)::float8 AS "deadlineAt", "action", "jobId"
         FROM "PlanStep" WHERE "planId" = $1::uuid ORDER BY "stage", "sequence"`,
      [planId],
    );
    return rows.map((r) => ({ ...r, dependsOn: r.dependsOn ?? [] }));
  }

  /** A step's state, for a job that found nothing to claim (finished, cancelled or not queued yet). */
  public async stepState(stepId: string): Promise<StepState | undefined> {
    const rows = await sqlRows<{ state: StepState }>(
      this.db.pool,
      `SELECT "state"::text AS "state" FROM "PlanStep" WHERE "id" = $1::uuid`,
      [stepId],
    );
    return rows[0]?.state;
  }

  /** States of some steps of one plan by key (a restart step checks its host's earlier steps). */
  public stepStatesByKey(planId: string, keys: readonly string[]): Promise<Array<{ key: string; state: StepState }>> {
    if (keys.length === 0) return Promise.resolve([]);
    return sqlRows(
      this.db.pool,
      `SELECT "key", "state"::text AS "state" FROM "PlanStep" WHERE "planId" = $1::uuid AND "key" = ANY($2::text[])`,
      [planId, [...keys]],
    );
  }

  /** When one host's step of an action finished (a restart's SSH wait counts from the wake's end). */
  public async stepFinishedAt(planId: string, hostId: string, action: string): Promise<Date | null> {
    const rows = await sqlRows<{ finishedAt: Date | null }>(
      this.db.pool,
      `SELECT "finishedAt" FROM "PlanStep" WHERE "planId" = $1::uuid AND "hostId" = $2::uuid AND "action" = $3 LIMIT 1`,
      [planId, hostId, action],
    );
    return rows[0]?.finishedAt ?? null;
  }

  /**
   * QUEUED → RUNNING for `claimant` (its carrier: a BullMQ job id, or a worker running steps
   * straight from PostgreSQL), returning the step with its plan's kind and mode and its host's row
   * — one statement (shared with the claims made at the same moment) between a job starting and
   * its first command. A RUNNING step is taken over again by the same carrier (a retry, a job
   * BullMQ re-delivered after a crash) or by anyone once nothing touched it for
   * STALE_RUNNING_SECONDS (its carrier died). Undefined when the step was not claimable.
   */
  public claimStep(stepId: string, claimant: string): Promise<ClaimedStepRow<Pick<Host, HostColumn>> | undefined> {
    return this.claims.request({ stepId, claimant });
  }

  private async claimBatch(
    requests: readonly ClaimRequest[],
  ): Promise<Array<ClaimedStepRow<Pick<Host, HostColumn>> | undefined>> {
    const unique = [...new Map(requests.map((r) => [r.stepId, r])).values()];
    const rows = await sqlRows<ClaimRow>(
      this.db.pool,
      `WITH c AS (
         UPDATE "PlanStep" AS s
            SET "state" = 'RUNNING'::"StepState", "attempts" = s."attempts" + 1, "jobId" = v."claimant",
                "startedAt" = COALESCE(s."startedAt", $3::timestamp(3)), "updatedAt" = $3::timestamp(3)
           FROM unnest($1::uuid[], $2::text[]) AS v("id", "claimant")
          WHERE s."id" = v."id" AND s."state"::text = ANY($4::text[])
            AND (s."state" <> 'RUNNING'::"StepState" OR s."jobId" = v."claimant"
                 OR s."updatedAt" < $3::timestamp(3) - $5::int * interval '1 second')
         RETURNING s.*)
       SELECT ${this.claimSelect}
         FROM c JOIN "Plan" p ON p."id" = c."planId" LEFT JOIN "Host" h ON h."id" = c."hostId"`,
      [
        ...columns(
          unique,
          (r) => r.stepId,
          (r) => r.claimant,
        ),
        new Date().toISOString(),
        predecessorsOrThrow('RUNNING', 'claim'),
        STALE_RUNNING_SECONDS,
      ],
    );
    const claimed = new Map(rows.map((r) => [r.id, toClaimedStep<Pick<Host, HostColumn>>(r)]));
    // Two requests for one step in a batch (duplicate jobs): only the first gets it.
    return requests.map((r) => {
      const step = claimed.get(r.stepId);
      claimed.delete(r.stepId);
      return step;
    });
  }

  /** Keeps steps a live carrier runs from looking abandoned (their `updatedAt`). */
  public async heartbeat(stepIds: readonly string[]): Promise<void> {
    if (stepIds.length === 0) return;
    await sqlCount(
      this.db.pool,
      `UPDATE "PlanStep" SET "updatedAt" = $2::timestamp(3)
        WHERE "id" = ANY($1::uuid[]) AND "state" = 'RUNNING'::"StepState"`,
      [[...stepIds], new Date().toISOString()],
    );
  }

  /** Unfinished plans of these kinds, oldest first: what the reconcilers resume. */
  public unfinishedPlanIds(kinds: readonly PlanKind[]): Promise<string[]> {
    return this.db.plan
      .findMany({
        where: { kind: { in: [...kinds] }, state: { in: ['PENDING', 'RUNNING'] } },
        select: { id: true },
        orderBy: { createdAt: 'asc' },
      })
      .then((rows) => rows.map((r) => r.id));
  }

  public async startPlan(planId: string, now: Date): Promise<void> {
    await sqlCount(
      this.db.pool,
      `UPDATE "Plan" SET "state" = 'RUNNING'::"PlanState", "startedAt" = $2::timestamp(3)
        WHERE "id" = $1::uuid AND "state" = 'PENDING'::"PlanState"`,
      [planId, now.toISOString()],
    );
  }

  /** Records the plan's end once; false when it had already ended. */
  public async finishPlan(planId: string, outcome: PlanOutcomeState, now: Date): Promise<boolean> {
    const { count } = await this.db.plan.updateMany({
      where: { id: planId, state: { in: ['PENDING', 'RUNNING'] } },
      data: { state: outcome, finishedAt: now },
    });
    return count === 1;
  }

  /**
   * PENDING → QUEUED for the given steps; returns those this caller won. One statement for the
   * whole batch (a stage of 1,000 hosts is 1,000 steps: one round trip each would delay the last
   * host's first command by seconds); RETURNING keeps the "who won" answer exact.
   */
  public async markQueued(steps: ReadonlyArray<{ id: string; jobId: string }>): Promise<string[]> {
    if (steps.length === 0) return [];
    const rows = await sqlRows<{ id: string }>(
      this.db.pool,
      `UPDATE "PlanStep" AS s
          SET "state" = 'QUEUED'::"StepState", "jobId" = v."jobId", "updatedAt" = $3::timestamp(3)
         FROM unnest($1::uuid[], $2::text[]) AS v("id", "jobId")
        WHERE s."id" = v."id" AND s."state"::text = ANY($4::text[])
       RETURNING s."id"::text AS "id"`,
      [
        ...columns(
          inLockOrder(steps, (s) => s.id),
          (s) => s.id,
          (s) => s.jobId,
        ),
        new Date().toISOString(),
        predecessorsOrThrow('QUEUED', 'queue'),
      ],
    );
    return rows.map((r) => r.id);
  }

  /** RUNNING → a handler's outcome; false when the step was no longer running (another attempt finished it). */
  public finishStep(
    stepId: string,
    state: FinishedStepState,
    result: { output?: string; error?: string | null },
    now: Date,
  ): Promise<boolean> {
    return this.finishes.request({ stepId, state, output: result.output, error: result.error ?? null, at: now });
  }

  private async finishBatch(writes: readonly FinishWrite[]): Promise<boolean[]> {
    const rowsInOrder = inLockOrder(writes, (w) => w.stepId);
    const rows = await sqlRows<{ id: string }>(
      this.db.pool,
      `UPDATE "PlanStep" AS s
          SET "state" = v."state"::"StepState", "finishedAt" = v."at", "updatedAt" = v."at",
              "output" = CASE WHEN v."hasOutput" THEN v."output" ELSE s."output" END, "error" = v."error"
         FROM unnest($1::uuid[], $2::text[], $3::timestamp(3)[], $4::boolean[], $5::text[], $6::text[])
           AS v("id", "state", "at", "hasOutput", "output", "error")
        WHERE s."id" = v."id" AND s."state"::text = ANY($7::text[])
       RETURNING s."id"::text AS "id"`,
      [
        ...columns(
          rowsInOrder,
          (w) => w.stepId,
          (w) => w.state,
          (w) => w.at.toISOString(),
          (w) => w.output !== undefined,
          (w) => w.output ?? null,
          (w) => w.error,
        ),
        // Every outcome leaves from RUNNING (the machine's "finish" edges).
        predecessorsOrThrow('SUCCEEDED', 'finish'),
      ],
    );
    return wonBy(
      writes.map((w) => w.stepId),
      rows,
    );
  }

  /** A warning about one host while its plan runs (e.g. its VMs unknown): one of the plan's events. */
  public async recordPlanWarning(
    planId: string,
    warning: {
      readonly code: string;
      readonly hostId: string | null;
      readonly hostName: string;
      readonly message: string;
    },
  ): Promise<void> {
    await this.db.powerEvent.create({ data: { type: 'PLAN', planId, data: { event: 'warning', ...warning } } });
  }

  /** Notes a failed attempt that BullMQ will retry (the step stays RUNNING). */
  public async recordAttemptError(stepId: string, error: string): Promise<void> {
    await this.db.planStep.updateMany({ where: { id: stepId, state: 'RUNNING' }, data: { error } });
  }

  public saveProgress(stepId: string, progress: Prisma.InputJsonValue, output?: string): Promise<void> {
    return this.progressWrites.request({ stepId, progress, output });
  }

  private async saveProgressBatch(writes: readonly ProgressWrite[]): Promise<void[]> {
    const rowsInOrder = inLockOrder(writes, (w) => w.stepId);
    await sqlCount(
      this.db.pool,
      `UPDATE "PlanStep" AS s
          SET "progress" = v."progress"::jsonb, "updatedAt" = $5::timestamp(3),
              "output" = CASE WHEN v."hasOutput" THEN v."output" ELSE s."output" END
         FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::text[]) AS v("id", "progress", "hasOutput", "output")
        WHERE s."id" = v."id" AND s."state" = 'RUNNING'::"StepState"`,
      [
        ...columns(
          rowsInOrder,
          (w) => w.stepId,
          (w) => JSON.stringify(w.progress),
          (w) => w.output !== undefined,
          (w) => w.output ?? null,
        ),
        new Date().toISOString(),
      ],
    );
    return writes.map(() => undefined);
  }

  /**
   * The at-most-once gate of a host power-off: only the caller whose UPDATE turns
   * `commandSentAt` from NULL to a time may send `poweroff`. Returns that time, or undefined
   * when it was already set (sent before a crash, or by another attempt): verify, never resend.
   */
  public async claimPowerOffCommand(stepId: string, now: Date): Promise<Date | undefined> {
    return (await this.powerOffClaims.request({ stepId, at: now })) ? now : undefined;
  }

  private async claimPowerOffBatch(claims: ReadonlyArray<{ stepId: string; at: Date }>): Promise<boolean[]> {
    const rows = await sqlRows<{ id: string }>(
      this.db.pool,
      `UPDATE "PlanStep" AS s SET "commandSentAt" = v."at", "updatedAt" = v."at"
         FROM unnest($1::uuid[], $2::timestamp(3)[]) AS v("id", "at")
        WHERE s."id" = v."id" AND s."commandSentAt" IS NULL AND s."state" = 'RUNNING'::"StepState"
       RETURNING s."id"::text AS "id"`,
      columns(
        inLockOrder(claims, (c) => c.stepId),
        (c) => c.stepId,
        (c) => c.at.toISOString(),
      ),
    );
    return wonBy(
      claims.map((c) => c.stepId),
      rows,
    );
  }

  /**
   * Moves an earlier claim to `now` (compare-and-set on the previous claim time), so that of
   * several resumed attempts only one resends.
   */
  public async reclaimPowerOffCommand(stepId: string, previous: Date, now: Date): Promise<Date | undefined> {
    const { count } = await this.db.planStep.updateMany({
      where: { id: stepId, commandSentAt: previous, state: 'RUNNING' },
      data: { commandSentAt: now },
    });
    return count === 1 ? now : undefined;
  }

  /** Only when the command provably never left this process (no session could be used). */
  public async releasePowerOffCommand(stepId: string, claimedAt: Date): Promise<void> {
    await this.db.planStep.updateMany({
      where: { id: stepId, commandSentAt: claimedAt },
      data: { commandSentAt: null },
    });
  }

  /** The power-off steps of these hosts in a plan (a UPS power cycle waits for them). */
  public async hostPowerOffSteps(
    planId: string,
    hostIds: readonly string[],
  ): Promise<Array<{ hostId: string; state: StepState; deadlineAt: Date | null }>> {
    const rows = await this.db.planStep.findMany({
      where: { planId, action: 'host-power-off', hostId: { in: [...hostIds] } },
      select: { hostId: true, state: true, deadlineAt: true },
    });
    return rows.flatMap((r) =>
      r.hostId === null ? [] : [{ hostId: r.hostId, state: r.state, deadlineAt: r.deadlineAt }],
    );
  }

  /** Notes on started steps past their deadline (the reconciler's report), once. */
  public async noteOverdue(stepIds: readonly string[], note: string): Promise<void> {
    if (stepIds.length === 0) return;
    await this.db.planStep.updateMany({
      where: { id: { in: [...stepIds] }, state: { in: ['QUEUED', 'RUNNING'] }, error: null },
      data: { error: note },
    });
  }

  /** Cancels every step not started yet; running ones finish. */
  public async cancelNotStarted(planId: string, now: Date, reason: string): Promise<number> {
    const { count } = await this.db.planStep.updateMany({
      where: { planId, state: { in: allowedPredecessors('CANCELLED', 'cancel') } },
      data: { state: 'CANCELLED', finishedAt: now, error: reason },
    });
    return count;
  }
}

function toClaimedStep<HostRow>(row: ClaimRow): ClaimedStepRow<HostRow> {
  const { planKind, planMode, ...fields } = row;
  const step: Record<string, unknown> = {};
  const host: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith(HOST_PREFIX)) host[name.slice(HOST_PREFIX.length)] = value;
    else step[name] = value;
  }
  const claimed = step as PlanStep;
  return {
    ...claimed,
    plan: { id: claimed.planId, kind: planKind, mode: planMode },
    host: host.id === null || host.id === undefined ? null : (host as HostRow),
  };
}
