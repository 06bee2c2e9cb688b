import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  allowedPredecessors,
  canTransition,
  isTerminal,
  predecessorsOrThrow,
  STEP_STATES,
  type StepState,
  type StepTransition,
  StepTransitionError,
  TERMINAL_STEP_STATES,
  transitionSources,
} from './step-state';

const TRANSITIONS: readonly StepTransition[] = ['queue', 'claim', 'finish', 'skip', 'cancel', 'gate-opened', 'resume'];

/** Every edge the machine has, written out: any change to the machine must change this table. */
const EXPECTED: ReadonlyArray<readonly [StepState, StepState, StepTransition]> = [
  ['PENDING', 'QUEUED', 'queue'],
  ['QUEUED', 'RUNNING', 'claim'],
  ['RUNNING', 'RUNNING', 'claim'],
  ['RUNNING', 'SUCCEEDED', 'finish'],
  ['RUNNING', 'FAILED', 'finish'],
  ['RUNNING', 'SKIPPED', 'finish'],
  ['PENDING', 'SKIPPED', 'skip'],
  ['QUEUED', 'SKIPPED', 'skip'],
  ['PENDING', 'CANCELLED', 'cancel'],
  ['QUEUED', 'CANCELLED', 'cancel'],
  ['PENDING', 'SUCCEEDED', 'gate-opened'],
  ['FAILED', 'PENDING', 'resume'],
  ['CANCELLED', 'PENDING', 'resume'],
];

describe('plan step state machine', () => {
  test('has exactly the documented edges, for every (from, to, cause)', () => {
    for (const from of STEP_STATES)
      for (const to of STEP_STATES)
        for (const via of TRANSITIONS) {
          const expected = EXPECTED.some(([a, b, v]) => a === from && b === to && v === via);
          assert.equal(canTransition(from, to, via), expected, `${from} → ${to} by ${via}`);
        }
  });

  test('a running step is never cancelled or skipped: a command may be on its way to the host', () => {
    for (const via of TRANSITIONS) {
      assert.equal(canTransition('RUNNING', 'CANCELLED', via), false);
      if (via !== 'finish') assert.equal(canTransition('RUNNING', 'SKIPPED', via), false);
    }
  });

  test('finished steps move only by a rollout resume', () => {
    for (const from of TERMINAL_STEP_STATES)
      for (const to of STEP_STATES)
        for (const via of TRANSITIONS)
          if (canTransition(from, to, via))
            assert.ok(via === 'resume' && to === 'PENDING', `${from} → ${to} by ${via}`);
    assert.ok(TERMINAL_STEP_STATES.every(isTerminal));
    assert.ok(!isTerminal('RUNNING') && !isTerminal('QUEUED') && !isTerminal('PENDING'));
  });

  test('WHERE clauses: the predecessors of each conditional update', () => {
    assert.deepEqual(allowedPredecessors('CANCELLED', 'cancel').sort(), ['PENDING', 'QUEUED']);
    assert.deepEqual(allowedPredecessors('RUNNING', 'claim').sort(), ['QUEUED', 'RUNNING']);
    assert.deepEqual(allowedPredecessors('SUCCEEDED', 'finish'), ['RUNNING']);
    assert.deepEqual(allowedPredecessors('SUCCEEDED', 'gate-opened'), ['PENDING']);
    assert.deepEqual(allowedPredecessors('PENDING', 'resume').sort(), ['CANCELLED', 'FAILED']);
    assert.deepEqual(transitionSources('finish'), ['RUNNING']);
  });

  test('asking for an edge the machine does not have is a programming error, never an empty WHERE', () => {
    assert.deepEqual(allowedPredecessors('RUNNING', 'cancel'), []);
    assert.throws(() => predecessorsOrThrow('RUNNING', 'cancel'), StepTransitionError);
    assert.throws(() => predecessorsOrThrow('QUEUED', 'finish'), /no step transition "finish" leads to QUEUED/);
  });
});
