import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { WORKER_STEP_ACTIONS, type WorkerStepAction } from '@nutfleet/plan';

import { type StepHandler } from './step-handler';
import { StepHandlerRegistrationError, StepHandlerRegistry, UnknownStepActionError } from './step-handler.registry';

const handler = (mode: 'ARMED' | 'DRY_RUN', actions: readonly WorkerStepAction[]): StepHandler => ({
  mode,
  actions,
  run: async () => ({ state: 'SUCCEEDED', output: `${mode} ${actions.join(',')}` }),
});
const ALL = WORKER_STEP_ACTIONS;

describe('step handler registry', () => {
  test('picks the handler of a step by its action and its plan mode', async () => {
    const armed = handler('ARMED', ALL);
    const dry = handler('DRY_RUN', ALL);
    const registry = new StepHandlerRegistry([armed, dry]);
    assert.equal(registry.handlerFor('host-power-off', 'ARMED'), armed);
    assert.equal(registry.handlerFor('wake', 'DRY_RUN'), dry);
  });

  test('refuses to start with an action that has no handler in some mode, naming it', () => {
    assert.throws(
      () => new StepHandlerRegistry([handler('ARMED', ALL), handler('DRY_RUN', ['vm-stop'])]),
      (e: unknown) =>
        e instanceof StepHandlerRegistrationError && /no handler for "wake" in DRY_RUN plans/.test(e.message),
    );
  });

  test('refuses two handlers for one action and mode', () => {
    assert.throws(
      () => new StepHandlerRegistry([handler('ARMED', ALL), handler('ARMED', ['wake']), handler('DRY_RUN', ALL)]),
      /two handlers for "wake" in ARMED plans/,
    );
  });

  test('a step of an action no worker runs (a gate, a newer version) is a permanent error', () => {
    const registry = new StepHandlerRegistry([handler('ARMED', ALL), handler('DRY_RUN', ALL)]);
    assert.throws(() => registry.handlerFor('restart-gate', 'ARMED'), UnknownStepActionError);
    assert.throws(() => registry.handlerFor('teleport', 'ARMED'), /no handler runs "teleport" steps/);
  });
});
