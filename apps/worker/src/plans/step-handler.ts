import { type PlanMode, type WorkerStepAction } from '@nutfleet/plan';

import { type ClaimedStep } from './claimed-step';
import { type StepOutcome } from './step-outcome';

/**
 * Runs the steps of some actions in one plan mode (an armed plan acts, a dry run only reads).
 * It reads its step's detail itself (typed by libs/plan), so the detail it gets is the one its
 * action was written with.
 */
export interface StepHandler {
  readonly actions: readonly WorkerStepAction[];
  readonly mode: PlanMode;
  run(step: ClaimedStep): Promise<StepOutcome>;
}
