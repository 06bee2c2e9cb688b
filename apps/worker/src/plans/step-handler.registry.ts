import { type PlanMode, WORKER_STEP_ACTIONS, isWorkerStepAction } from '@nutfleet/plan';

import { type StepHandler } from './step-handler';

const MODES: readonly PlanMode[] = ['ARMED', 'DRY_RUN'];

export class StepHandlerRegistrationError extends Error {
  public constructor(problems: readonly string[]) {
    super(`the worker cannot run every plan step: ${problems.join('; ')}`);
    this.name = 'StepHandlerRegistrationError';
  }
}

/** A step whose action no handler runs (written by a newer orchestrator?): retrying cannot help. */
export class UnknownStepActionError extends Error {
  public constructor(action: string, mode: PlanMode) {
    super(`no handler runs "${action}" steps in ${mode} plans: upgrade the worker to the orchestrator's version`);
    this.name = 'UnknownStepActionError';
  }
}

/**
 * Picks a step's handler by its action and its plan's mode. Built once at start, and refused
 * (the worker does not start) unless every action libs/plan defines has exactly one handler per
 * mode: a plan must never meet a step no worker can run in the middle of an outage.
 */
export class StepHandlerRegistry {
  private readonly handlers = new Map<string, StepHandler>();

  public constructor(handlers: readonly StepHandler[]) {
    const problems: string[] = [];
    for (const handler of handlers) {
      for (const action of handler.actions) {
        const key = `${handler.mode}:${action}`;
        if (this.handlers.has(key)) problems.push(`two handlers for "${action}" in ${handler.mode} plans`);
        else this.handlers.set(key, handler);
      }
    }
    for (const mode of MODES)
      for (const action of WORKER_STEP_ACTIONS)
        if (!this.handlers.has(`${mode}:${action}`)) problems.push(`no handler for "${action}" in ${mode} plans`);
    if (problems.length > 0) throw new StepHandlerRegistrationError(problems);
  }

  public handlerFor(action: string, mode: PlanMode): StepHandler {
    const handler = isWorkerStepAction(action) ? this.handlers.get(`${mode}:${action}`) : undefined;
    if (handler === undefined) throw new UnknownStepActionError(action, mode);
    return handler;
  }
}

export const STEP_HANDLERS = Symbol('STEP_HANDLERS');
