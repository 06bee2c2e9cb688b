import { fanOutRounds, leadsItsHost, type NewPlanStep, type QueuedNewStep, selectRunnableSteps } from '@nutfleet/plan';
import { type StepBatch, stepBatches } from '@nutfleet/queue';

/** A new plan's steps, its first ones given their job, and those jobs in the order they should start. */
export interface FirstStepsQueued {
  readonly steps: readonly NewPlanStep[];
  /** Steps named by key: their row ids exist only once the plan is written (firstStepJobs). */
  readonly batches: readonly StepBatch[];
}

/**
 * The steps a new plan may start at once (its first open stage, no dependency waiting), one
 * host's first step before any host's second, each given the `plan.steps` job it goes to: the
 * plan is written with them QUEUED, and their jobs reach Redis right after the commit, without
 * waiting for a worker to read the plan back and queue them. `advance` names this creation in
 * the job ids (see planStepsJobId).
 */
export function withFirstStepsQueued(
  planId: string,
  steps: readonly NewPlanStep[],
  advance: string,
  now: number,
): FirstStepsQueued {
  const views = [...steps]
    .sort((a, b) => a.stage - b.stage || a.sequence - b.sequence)
    .map((s) => ({
      id: s.key,
      key: s.key,
      stage: s.stage,
      hostId: s.hostId,
      state: 'PENDING' as const,
      dependsOn: s.dependsOn,
      deadlineAt: s.deadlineAt?.getTime() ?? null,
      action: s.action,
    }));
  const { runnable } = selectRunnableSteps(views, now);
  const batches = stepBatches(
    planId,
    fanOutRounds(runnable).map(({ step, round }) => ({
      id: step.key,
      key: step.key,
      lead: leadsItsHost(round, step.action),
    })),
    advance,
  );
  const jobOf = new Map(batches.flatMap((b) => b.steps.map((s) => [s.key, b.jobId] as const)));
  return {
    steps: steps.map((s) => {
      const jobId = jobOf.get(s.key);
      return jobId === undefined ? s : { ...s, jobId };
    }),
    batches,
  };
}

/** The first steps' jobs with the row ids the store gave them (a step not written QUEUED is left out). */
export function firstStepJobs(batches: readonly StepBatch[], queued: readonly QueuedNewStep[]): StepBatch[] {
  const idOf = new Map(queued.map((q) => [q.key, q.id]));
  return batches
    .map((b) => ({
      jobId: b.jobId,
      steps: b.steps.flatMap((s) => {
        const id = idOf.get(s.key);
        return id === undefined ? [] : [{ id, key: s.key, lead: s.lead }];
      }),
    }))
    .filter((b) => b.steps.length > 0);
}
