/**
 * Plan step states, as stored in PostgreSQL (StepState):
 *
 *   PENDING ──advance──▶ QUEUED ──handler──▶ RUNNING ──▶ SUCCEEDED | FAILED
 *      │                   │
 *      └──── cancel ───────┴──▶ CANCELLED        (power back before the point of no return, or by hand)
 *   PENDING ──▶ SKIPPED                          (nothing to do, e.g. the VM was already off)
 *
 * Every transition is a conditional UPDATE on the expected previous state, so two workers (or a
 * worker and the reconciler) racing on one step cannot both win. A RUNNING step is never
 * cancelled: a command may be on its way to the host, so it is allowed to finish.
 */
export type StepStateName = 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

export const TERMINAL_STEP_STATES: readonly StepStateName[] = ['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'];
/** Not started yet: what power coming back (or an operator) may still cancel. */
export const NOT_STARTED_STEP_STATES: readonly StepStateName[] = ['PENDING', 'QUEUED'];

export function isTerminal(state: StepStateName): boolean {
  return TERMINAL_STEP_STATES.includes(state);
}

const ALLOWED: Readonly<Record<StepStateName, readonly StepStateName[]>> = {
  PENDING: ['QUEUED', 'CANCELLED', 'SKIPPED'],
  QUEUED: ['RUNNING', 'CANCELLED', 'SKIPPED'],
  // RUNNING → RUNNING: a retry or a resumed attempt after a crash takes the step over again.
  RUNNING: ['RUNNING', 'SUCCEEDED', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
  SKIPPED: [],
  CANCELLED: [],
};

/** States a step may move to `to` from; the conditional UPDATE uses them as its WHERE clause. */
export function allowedPredecessors(to: StepStateName): StepStateName[] {
  return (Object.keys(ALLOWED) as StepStateName[]).filter((from) => ALLOWED[from].includes(to));
}

export function canTransition(from: StepStateName, to: StepStateName): boolean {
  return ALLOWED[from].includes(to);
}
