import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { planWaves } from './rollout-wave.planner';

describe('planWaves', () => {
  test('canary first, then waves of maxInFlight, order kept', () => {
    assert.deepEqual(planWaves([1, 2, 3, 4, 5, 6], 1, 2), [[1], [2, 3], [4, 5], [6]]);
  });
  test('no canary; canary larger than the fleet; empty fleet', () => {
    assert.deepEqual(planWaves([1, 2, 3], 0, 2), [[1, 2], [3]]);
    assert.deepEqual(planWaves([1, 2], 5, 2), [[1, 2]]);
    assert.deepEqual(planWaves([], 1, 2), []);
  });
  test('refuses maxInFlight < 1', () => {
    assert.throws(() => planWaves([1], 0, 0), RangeError);
  });
});
