import { isPlanStepsJobId, planStepsJobId } from './job-id';
import { type JobName } from './job-names';
import { PLAN_STEPS_PER_JOB } from './job-options';
import { type JobPayload } from './job-payloads';

/** A step as a carrier needs it: its row id and its key (for the job id and logs). */
export interface BatchStep {
  readonly id: string;
  readonly key: string;
  /** Its host's first shutdown step of this advance (leadsItsHost): its command goes out first. */
  readonly lead?: boolean;
}

/** Steps that go to Redis together as one `plan.steps` job, under `jobId`. */
export interface StepBatch<S extends BatchStep = BatchStep> {
  readonly jobId: string;
  readonly steps: readonly S[];
}

/**
 * Cuts steps, in the order they should start, into batches of `size` (the last may be shorter),
 * each named after its first step and the advance (`advance`: unique to the caller's advance).
 */
export function stepBatches<S extends BatchStep>(
  planId: string,
  steps: readonly S[],
  advance: string,
  size: number = PLAN_STEPS_PER_JOB,
): Array<StepBatch<S>> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const batches: Array<StepBatch<S>> = [];
  for (let at = 0; at < steps.length; at += size) {
    const slice = steps.slice(at, at + size);
    const first = slice[0];
    if (first !== undefined) batches.push({ jobId: planStepsJobId(planId, first.key, advance), steps: slice });
  }
  return batches;
}

/**
 * Unfinished steps grouped by the job that should carry them: the job named in their row when it
 * is a `plan.steps` job of this plan; otherwise (a step a direct runner claimed) a job named after
 * the step itself, the same in every worker so two reconcilers re-adding it add it once.
 */
export function stepsByCarrier<S extends BatchStep & { readonly jobId?: string | null }>(
  planId: string,
  steps: readonly S[],
): Array<StepBatch<S>> {
  const groups = new Map<string, S[]>();
  for (const step of steps) {
    const jobId =
      step.jobId != null && isPlanStepsJobId(step.jobId, planId)
        ? step.jobId
        : planStepsJobId(planId, step.key, 'reconciled');
    const group = groups.get(jobId);
    if (group) group.push(step);
    else groups.set(jobId, [step]);
  }
  return [...groups].map(([jobId, group]) => ({ jobId, steps: group }));
}

/** The `plan.steps` job data of a batch (step row ids, keys, leads; the rows hold everything else). */
export function planStepsJobData(planId: string, batch: StepBatch): JobPayload<typeof JobName.PlanSteps> {
  return {
    planId,
    steps: batch.steps.map((s) => ({ stepId: s.id, stepKey: s.key, ...(s.lead === true ? { lead: true } : {}) })),
  };
}
