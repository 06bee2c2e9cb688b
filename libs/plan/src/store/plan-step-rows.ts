import type { NewPlanStep, QueuedNewStep } from './plan-writes.store';

/** Runs one statement in the caller's transaction and returns its rows. */
export type StepStatementRunner = (text: string, values: readonly unknown[]) => Promise<QueuedNewStep[]>;

/**
 * A plan's step rows as the one `json` document the insert takes apart (see insertStepRows).
 * Kept as text where it is saved for later (PendingPlanSteps), so the later insert is the same.
 */
export function stepRowsDocument(rows: readonly NewPlanStep[]): string {
  return JSON.stringify(
    rows.map((r) => ({ ...r, deadlineAt: r.deadlineAt?.toISOString() ?? null, jobId: r.jobId ?? null })),
  );
}

/**
 * The INSERT of a plan's steps from a `json` document of rows, in ONE statement. Why not
 * `createMany`: for a 1,000-host outage (4,000 steps) Prisma's createMany took 1.2–2 s, this
 * takes ~0.1 s — time between the LB and the first shutdown command. `json`, not `jsonb`: the
 * document is only taken apart, and the step detail is stored as it comes (a `json` column);
 * building jsonb of it was 40 % of the statement (3.4 MB for 1,000 hosts: 170–340 → 130–190 ms
 * on an idle machine, 0.9–1.5 → 0.75–0.83 s for 5,000). `ON CONFLICT DO NOTHING` on
 * (planId, key): a step already there is kept. Returns the new QUEUED steps (those given a job).
 *
 * `document`: a CTE named `document` with the rows in its column `rows`. Parameters: `$1` the
 * plan id, `$2` now, `$3` NULL, or the error text of rows written CANCELLED (a plan cancelled
 * before they were written); the document's own, if any, from `$4`.
 */
export function insertStepRowsSql(document: string): string {
  return `WITH ${document},
     inserted AS (
       INSERT INTO "PlanStep"
         ("id", "planId", "key", "hostId", "action", "stage", "sequence", "dependsOn", "deadlineAt", "detail",
          "state", "jobId", "finishedAt", "error", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1::uuid, r."key", r."hostId", r."action", r."stage", r."sequence",
              ARRAY(SELECT json_array_elements_text(r."dependsOn")), r."deadlineAt", r."detail",
              CASE WHEN $3::text IS NOT NULL THEN 'CANCELLED' WHEN r."jobId" IS NULL THEN 'PENDING' ELSE 'QUEUED' END::"StepState",
              CASE WHEN $3::text IS NULL THEN r."jobId" END,
              CASE WHEN $3::text IS NOT NULL THEN $2::timestamp(3) END, $3::text,
              $2::timestamp(3), $2::timestamp(3)
         FROM document, json_to_recordset(document."rows")
           AS r("key" text, "hostId" uuid, "action" text, "stage" int, "sequence" int, "dependsOn" json,
                "deadlineAt" timestamp(3), "detail" json, "jobId" text)
       ON CONFLICT ("planId", "key") DO NOTHING
       RETURNING "id", "key", "jobId")
     SELECT "id"::text AS "id", "key", "jobId" FROM inserted WHERE "jobId" IS NOT NULL`;
}

/** Inserts these steps of a plan (insertStepRowsSql) inside the caller's transaction. */
export async function insertStepRows(
  run: StepStatementRunner,
  planId: string,
  rows: readonly NewPlanStep[],
  now: Date,
): Promise<QueuedNewStep[]> {
  if (rows.length === 0) return [];
  return run(insertStepRowsSql('document AS (SELECT $4::json AS "rows")'), [
    planId,
    now.toISOString(),
    null,
    stepRowsDocument(rows),
  ]);
}
