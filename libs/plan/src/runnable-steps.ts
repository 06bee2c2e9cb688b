import { maxOf } from '@nutfleet/runtime';

import { isExternalStepAction, SHUTDOWN_STEP_ACTIONS } from './step-actions';
import { isTerminal, type StepState } from './step-state';

/** What the scheduler needs of a step. */
export interface StepView {
  readonly id: string;
  readonly key: string;
  readonly stage: number;
  /** Steps of one host share it; null for a step of no host (a restart wave's gate). */
  readonly hostId?: string | null;
  readonly state: StepState;
  readonly dependsOn: readonly string[];
  /** Epoch ms; a step past it no longer holds anything back. */
  readonly deadlineAt: number | null;
  /** `restart-gate` steps are completed by the orchestrator's gate keeper, never queued here. */
  readonly action?: string;
  /** Who carries it once queued: its `plan.steps` job id, or the direct runner that claimed it. */
  readonly jobId?: string | null;
}

export interface RunnableSelection {
  /** PENDING steps whose stage is open and whose dependencies are finished or overdue. */
  readonly runnable: readonly StepView[];
  /** Stages that may run now (earlier ones done or past their deadline). */
  readonly openStages: readonly number[];
  /** When a deadline passes that may open something (the caller re-advances then). */
  readonly nextDeadlineAt?: number;
}

/** Finished, or past its deadline: in both cases it no longer blocks what follows. */
function releases(step: StepView, now: number): boolean {
  return isTerminal(step.state) || (step.deadlineAt !== null && step.deadlineAt <= now);
}

/**
 * Which steps may start now. Stages run in ascending order; a stage opens when every earlier
 * stage is done or past its deadline (its latest step deadline), so one stuck host never holds
 * the next stage beyond the time the plan budgeted for it. Inside a host, a step waits for the
 * steps it depends on (the previous VM batch; the host power-off waits for its last batch) to
 * finish or pass their deadline: a VM that cannot be stopped must not keep its host running
 * while the battery drains (`poweroff` still stops it through the host's autostop).
 */
export function selectRunnableSteps(steps: readonly StepView[], now: number): RunnableSelection {
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const stages = [...new Set(steps.map((s) => s.stage))].sort((a, b) => a - b);
  const openStages: number[] = [];
  const pendingDeadlines: number[] = [];
  for (const stage of stages) {
    openStages.push(stage);
    const inStage = steps.filter((s) => s.stage === stage);
    const done = inStage.every((s) => isTerminal(s.state));
    const deadlines = inStage.map((s) => s.deadlineAt).filter((d): d is number => d !== null);
    const stageDeadline = maxOf(deadlines);
    if (done || (stageDeadline !== undefined && stageDeadline <= now)) continue;
    if (stageDeadline !== undefined) pendingDeadlines.push(stageDeadline);
    break;
  }
  const open = new Set(openStages);
  const runnable: StepView[] = [];
  for (const step of steps) {
    if (step.state !== 'PENDING' || !open.has(step.stage)) continue;
    if (isExternalStepAction(step.action)) continue;
    const blockers = step.dependsOn
      .map((key) => byKey.get(key))
      .filter((dep): dep is StepView => dep !== undefined && !releases(dep, now));
    if (blockers.length === 0) runnable.push(step);
    else for (const blocker of blockers) if (blocker.deadlineAt !== null) pendingDeadlines.push(blocker.deadlineAt);
  }
  let nextDeadlineAt = Number.POSITIVE_INFINITY;
  for (const deadline of pendingDeadlines) if (deadline > now && deadline < nextDeadlineAt) nextDeadlineAt = deadline;
  return {
    runnable,
    openStages,
    ...(Number.isFinite(nextDeadlineAt) ? { nextDeadlineAt } : {}),
  };
}

/**
 * Queue order for steps that may start together: every host's first step before any host's
 * second, otherwise in the given order, each step with its round (0 for its host's first step, 1
 * for its second...). The queue is FIFO, and in an outage each host must start going down as
 * early as possible — not the first hosts getting every VM's command before the last host gets
 * its first one. A worker also sends the round-0 shutdown steps' commands before the others it
 * holds (see leadsItsHost).
 */
export function fanOutRounds<T extends Pick<StepView, 'hostId'>>(
  steps: readonly T[],
): Array<{ readonly step: T; readonly round: number }> {
  const seen = new Map<string, number>();
  return steps
    .map((step, index) => {
      const host = step.hostId ?? `#${index}`;
      const round = seen.get(host) ?? 0;
      seen.set(host, round + 1);
      return { step, round, index };
    })
    .sort((a, b) => a.round - b.round || a.index - b.index)
    .map(({ step, round }) => ({ step, round }));
}

/**
 * Whether a step leads in its worker (its first command goes out before the worker's other work,
 * see the worker's LeadCommandsGate): its host's first step of the advance (fanOutRounds' round
 * 0), and a shutdown step, the command a host waits for in an outage. A restart's steps wait for
 * a host to boot (minutes) and a UPS power cycle for every host to be down: holding the gate
 * that long, they would hold the worker's other work back instead.
 */
export function leadsItsHost(round: number, action: string | undefined): boolean {
  return round === 0 && (SHUTDOWN_STEP_ACTIONS as readonly (string | undefined)[]).includes(action);
}

/**
 * Runnable steps in the order their jobs are made (fanOutRounds), each marked `lead` when it
 * leads its host (leadsItsHost): how both the plan's creation and its advances queue steps.
 */
export function inLeadOrder<T extends Pick<StepView, 'hostId' | 'action'>>(
  steps: readonly T[],
): Array<{ readonly step: T; readonly lead: boolean }> {
  return fanOutRounds(steps).map(({ step, round }) => ({ step, lead: leadsItsHost(round, step.action) }));
}

export type PlanOutcome = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/**
 * The plan's state from its steps: running while any step is not finished; once all are,
 * CANCELLED if a cancellation was requested (power back or by hand) and cancelled something,
 * FAILED if any step failed, else SUCCEEDED.
 */
export function planOutcome(steps: readonly Pick<StepView, 'state'>[], cancelRequested: boolean): PlanOutcome {
  if (steps.some((s) => !isTerminal(s.state))) return 'RUNNING';
  if (cancelRequested && steps.some((s) => s.state === 'CANCELLED')) return 'CANCELLED';
  if (steps.some((s) => s.state === 'FAILED')) return 'FAILED';
  return 'SUCCEEDED';
}

/** Steps started (QUEUED/RUNNING) whose deadline passed more than `graceMs` ago: the reconciler reports them. */
export function overdueSteps(steps: readonly StepView[], now: number, graceMs: number): StepView[] {
  return steps.filter(
    (s) => (s.state === 'QUEUED' || s.state === 'RUNNING') && s.deadlineAt !== null && s.deadlineAt + graceMs <= now,
  );
}
