import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nutBackoffDelay } from './nut-session';

describe('nutBackoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const noJitter = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((attempt) => nutBackoffDelay(attempt, noJitter)),
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  it('spreads by ±jitter', () => {
    const options = { initialDelayMs: 1000, jitter: 0.25 };
    assert.equal(
      nutBackoffDelay(1, options, () => 0),
      750,
    );
    assert.equal(
      nutBackoffDelay(1, options, () => 0.5),
      1000,
    );
    assert.equal(
      nutBackoffDelay(1, options, () => 0.999999),
      1250,
    );
  });
});
