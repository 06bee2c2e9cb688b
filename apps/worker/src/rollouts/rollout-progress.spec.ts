import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type StepState } from '@nutfleet/plan';
import { decideRollout, type RolloutStepView } from './rollout-progress';

const step = (id: string, wave: number, state: StepState, finishedAt: number | null = null): RolloutStepView => ({
  id,
  hostId: `h-${id}`,
  wave,
  state,
  finishedAt: finishedAt ?? (['SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'].includes(state) ? 1000 : null),
});
const settings = { pauseSeconds: 0, maxFailureRatio: 0.25 };

describe('decideRollout (waves, pause, failure ratio)', () => {
  test('starts the canary wave first, then the next wave once it is done', () => {
    const fresh = [step('a', 0, 'PENDING'), step('b', 1, 'PENDING'), step('c', 1, 'PENDING')];
    assert.deepEqual(decideRollout(fresh, settings, false, 0), { kind: 'start', wave: 0, stepIds: ['a'] });
    const canaryRunning = [step('a', 0, 'RUNNING'), step('b', 1, 'PENDING'), step('c', 1, 'PENDING')];
    assert.deepEqual(decideRollout(canaryRunning, settings, false, 0), { kind: 'running' });
    const canaryDone = [step('a', 0, 'SUCCEEDED'), step('b', 1, 'PENDING'), step('c', 1, 'PENDING')];
    assert.deepEqual(decideRollout(canaryDone, settings, false, 0), { kind: 'start', wave: 1, stepIds: ['b', 'c'] });
  });

  test('waits out the pause between waves, counted from the last host that finished', () => {
    const steps = [step('a', 0, 'SUCCEEDED', 10_000), step('b', 1, 'PENDING')];
    assert.deepEqual(decideRollout(steps, { ...settings, pauseSeconds: 5 }, false, 12_000), {
      kind: 'wait',
      at: 15_000,
      wave: 1,
    });
    assert.equal(decideRollout(steps, { ...settings, pauseSeconds: 5 }, false, 15_000).kind, 'start');
  });

  test('stops before the next wave once failed/finished passes the threshold (equal is still fine)', () => {
    const atThreshold = [
      step('a', 0, 'FAILED'),
      ...['b', 'c', 'd'].map((id) => step(id, 1, 'SUCCEEDED')),
      step('e', 2, 'PENDING'),
    ];
    assert.equal(decideRollout(atThreshold, settings, false, 0).kind, 'start');
    const over = [step('a', 0, 'FAILED'), step('b', 1, 'FAILED'), step('c', 1, 'SUCCEEDED'), step('d', 2, 'PENDING')];
    const decision = decideRollout(over, settings, false, 0);
    assert.equal(decision.kind, 'stop');
    assert.match(decision.kind === 'stop' ? decision.reason : '', /2\/3 \(66\.7 %\).*25 %.*wave 2/);
  });

  test('a failed canary stops the rollout', () => {
    assert.equal(decideRollout([step('a', 0, 'FAILED'), step('b', 1, 'PENDING')], settings, false, 0).kind, 'stop');
  });

  test('finishes: SUCCEEDED, FAILED (a host failed or was not started), CANCELLED (by request)', () => {
    assert.deepEqual(decideRollout([step('a', 0, 'SUCCEEDED'), step('b', 1, 'SKIPPED')], settings, false, 0), {
      kind: 'finish',
      outcome: 'SUCCEEDED',
    });
    assert.deepEqual(decideRollout([step('a', 0, 'FAILED'), step('b', 1, 'CANCELLED')], settings, false, 0), {
      kind: 'finish',
      outcome: 'FAILED',
    });
    assert.deepEqual(decideRollout([step('a', 0, 'SUCCEEDED'), step('b', 1, 'CANCELLED')], settings, true, 0), {
      kind: 'finish',
      outcome: 'CANCELLED',
    });
    assert.deepEqual(decideRollout([step('a', 0, 'RUNNING'), step('b', 1, 'CANCELLED')], settings, true, 0), {
      kind: 'running',
    });
  });
});
