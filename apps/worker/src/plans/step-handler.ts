import { type PlanMode, type WorkerStepAction } from '@nutfleet/plan';

import { type ClaimedStep } from './claimed-step';
import { type StepOutcome } from './step-outcome';

/**
 * Runs the steps of some actions in one plan mode (an armed plan acts, a dry run only reads).
 * It reads its step's detail itself (typed by libs/plan), so the detail it gets is the one its
 * action was written with. A handler whose step sends commands to a host says when the first
 * one is out (`signals.commandSent`); for the others, the step's end says it.
 */
export interface StepHandler {
  readonly actions: readonly WorkerStepAction[];
  readonly mode: PlanMode;
  run(step: ClaimedStep, signals?: StepSignals): Promise<StepOutcome>;
}

/** What a step handler tells its carrier while it runs. */
export interface StepSignals {
  /** The step's first command is out (or provably never will be): the others may go. */
  commandSent(): void;
}

export const NO_STEP_SIGNALS: StepSignals = { commandSent: () => undefined };
