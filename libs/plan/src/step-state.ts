/**
 * The plan step state machine, shared by every process that moves a step (the worker's handlers,
 * advancer and reconciler; the orchestrator's cancels, gate keeper and rollout control). States
 * are stored in PostgreSQL (`StepState`):
 *
 *   PENDING ──advance──▶ QUEUED ──claim──▶ RUNNING ──▶ SUCCEEDED | FAILED
 *      │  │                 │
 *      │  └─── cancel ──────┴──▶ CANCELLED     (power back before the point of no return, or by hand)
 *      ├──▶ SKIPPED                            (nothing to do, e.g. the VM was already off)
 *      └──▶ SUCCEEDED                          (a gate the orchestrator opens: `gate-opened`)
 *   FAILED | CANCELLED ──resume──▶ PENDING     (a rollout resumed; its journal keeps finished work)
 *
 * Every change is a conditional UPDATE whose WHERE clause is `allowedPredecessors(to, via)`, so two
 * processes racing on one step cannot both win. A RUNNING step is never cancelled: a command may
 * be on its way to the host, so it is allowed to finish.
 */
export type StepState = 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

export const STEP_STATES: readonly StepState[] = [
  'PENDING',
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'SKIPPED',
  'CANCELLED',
];

/** Why a step moves: each cause allows its own edges, so a caller cannot borrow another's. */
export type StepTransition =
  /** The advancer queues a step whose stage and dependencies allow it. */
  | 'queue'
  /** A handler takes the step (again, after a retry or a crash: RUNNING → RUNNING). */
  | 'claim'
  /** A handler's outcome. */
  | 'finish'
  /** The step has nothing to do before it started. */
  | 'skip'
  /** Power back before the point of no return, an operator, or a paused restart. */
  | 'cancel'
  /** The orchestrator opened a restart wave's gate step (never queued, never run by a worker). */
  | 'gate-opened'
  /** A rollout resumed: failed and cancelled hosts start over (finished deploy steps are kept). */
  | 'resume';

const EDGES: Readonly<Record<StepTransition, ReadonlyArray<readonly [StepState, StepState]>>> = {
  queue: [['PENDING', 'QUEUED']],
  claim: [
    ['QUEUED', 'RUNNING'],
    ['RUNNING', 'RUNNING'],
  ],
  finish: [
    ['RUNNING', 'SUCCEEDED'],
    ['RUNNING', 'FAILED'],
    ['RUNNING', 'SKIPPED'],
  ],
  skip: [
    ['PENDING', 'SKIPPED'],
    ['QUEUED', 'SKIPPED'],
  ],
  cancel: [
    ['PENDING', 'CANCELLED'],
    ['QUEUED', 'CANCELLED'],
  ],
  'gate-opened': [['PENDING', 'SUCCEEDED']],
  resume: [
    ['FAILED', 'PENDING'],
    ['CANCELLED', 'PENDING'],
  ],
};

export const TERMINAL_STEP_STATES: readonly StepState[] = ['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'];
/** Not started yet: what power coming back (or an operator) may still cancel. */
export const NOT_STARTED_STEP_STATES: readonly StepState[] = ['PENDING', 'QUEUED'];

export function isTerminal(state: StepState): boolean {
  return TERMINAL_STEP_STATES.includes(state);
}

export function isStepState(value: unknown): value is StepState {
  return typeof value === 'string' && (STEP_STATES as readonly string[]).includes(value);
}

/** States from which `via` may move a step to `to`: the WHERE clause of its conditional UPDATE. */
export function allowedPredecessors(to: StepState, via: StepTransition): StepState[] {
  return EDGES[via].filter(([, target]) => target === to).map(([from]) => from);
}

/** Every state `via` may move a step out of (whatever the target): for updates with per-row targets. */
export function transitionSources(via: StepTransition): StepState[] {
  return [...new Set(EDGES[via].map(([from]) => from))];
}

export function canTransition(from: StepState, to: StepState, via: StepTransition): boolean {
  return EDGES[via].some(([a, b]) => a === from && b === to);
}

/** Thrown when code asks the machine for an edge it does not have: a programming error, never data. */
export class StepTransitionError extends Error {
  public constructor(to: StepState, via: StepTransition) {
    super(`no step transition "${via}" leads to ${to}`);
    this.name = 'StepTransitionError';
  }
}

/** Like allowedPredecessors, but refuses an edge the machine does not have (no empty WHERE). */
export function predecessorsOrThrow(to: StepState, via: StepTransition): StepState[] {
  const from = allowedPredecessors(to, via);
  if (from.length === 0) throw new StepTransitionError(to, via);
  return from;
}
