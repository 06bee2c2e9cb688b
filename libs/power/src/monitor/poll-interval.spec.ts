import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { nextPollInterval } from './poll-interval';

const pacing = { baseMs: 250, maxMs: 4000 };

describe('nextPollInterval: back off from a slow NUT server, recover when it is fast', () => {
  it('keeps the configured interval while rounds are quick', () => {
    assert.equal(nextPollInterval(250, 4, pacing), 250);
    assert.equal(nextPollInterval(250, 125, pacing), 250);
  });

  it('doubles when a round took longer than the interval, up to the cap', () => {
    assert.equal(nextPollInterval(250, 251, pacing), 500);
    assert.equal(nextPollInterval(500, 900, pacing), 1000);
    assert.equal(nextPollInterval(2000, 3000, pacing), 4000);
    assert.equal(nextPollInterval(4000, 10_000, pacing), 4000);
  });

  it('holds a backed-off interval while rounds take more than half of it (no flapping)', () => {
    assert.equal(nextPollInterval(1000, 600, pacing), 1000);
    assert.equal(nextPollInterval(1000, 1000, pacing), 1000);
  });

  it('halves step by step, never below the configured interval, once rounds are quick again', () => {
    let interval = 4000;
    const seen: number[] = [];
    while (interval > 250) {
      interval = nextPollInterval(interval, 10, pacing);
      seen.push(interval);
    }
    assert.deepEqual(seen, [2000, 1000, 500, 250]);
    assert.equal(nextPollInterval(250, 1, pacing), 250);
  });

  it('a server slow for a while ends at the cap, not beyond it', () => {
    let interval = 250;
    for (let i = 0; i < 10; i += 1) interval = nextPollInterval(interval, interval + 1, pacing);
    assert.equal(interval, 4000);
  });

  it('tolerates a cap below the configured interval (the interval wins) and an out-of-range current', () => {
    assert.equal(nextPollInterval(250, 1000, { baseMs: 1000, maxMs: 500 }), 1000);
    assert.equal(nextPollInterval(60_000, 10, pacing), 2000);
  });
});
