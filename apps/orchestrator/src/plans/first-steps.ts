import { inLeadOrder, type NewPlanStep, type QueuedNewStep, selectRunnableSteps } from '@nutfleet/plan';
import { type StepBatch, stepBatches } from '@nutfleet/queue';

/** A new plan's steps split for writing, the ones that may start given their job, and those jobs. */
export interface FirstStepsQueued {
  /** Written with the plan: each host's lead step (its first shutdown step), QUEUED under its job. */
  readonly steps: readonly NewPlanStep[];
  /** Written right after (NewPlan.laterSteps): the others, those that may start now QUEUED under their job. */
  readonly laterSteps: readonly NewPlanStep[];
  /**
   * The jobs of the lead steps, then those of the others (no job carries both, so each can be
   * added once its rows are written). Steps are named by key: their row ids exist only once the
   * plan is written (firstStepJobs).
   */
  readonly batches: readonly StepBatch[];
}

/**
 * The steps a new plan may start at once (its first open stage, no dependency waiting), one
 * host's first step before any host's second, each given the `plan.steps` job it goes to, and
 * the plan's steps split into what is written with it and what right after: the plan and each
 * host's first step commit, and their jobs reach Redis, without waiting for the other rows
 * (three quarters of a 5,000-host outage's 20,000) or for a worker to read the plan back.
 * `advance` names this creation in the job ids (see planStepsJobId).
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
  const ordered = inLeadOrder(selectRunnableSteps(views, now).runnable).map(({ step, lead }) => ({
    id: step.key,
    key: step.key,
    lead,
  }));
  const leadSteps = ordered.filter((s) => s.lead);
  const batches = [
    ...stepBatches(planId, leadSteps, advance),
    ...stepBatches(
      planId,
      ordered.filter((s) => !s.lead),
      advance,
    ),
  ];
  const jobOf = new Map(batches.flatMap((b) => b.steps.map((s) => [s.key, b.jobId] as const)));
  const leads = new Set(leadSteps.map((s) => s.key));
  const withJobs = steps.map((s) => {
    const jobId = jobOf.get(s.key);
    return jobId === undefined ? s : { ...s, jobId };
  });
  return {
    steps: withJobs.filter((s) => leads.has(s.key)),
    laterSteps: withJobs.filter((s) => !leads.has(s.key)),
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
