import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AuthFailureThrottle } from './auth-failure.throttle';

test('blocks an address after maxFailures in the window, until the oldest counted failure ages out', () => {
  const throttle = new AuthFailureThrottle({ maxFailures: 3, windowMs: 60_000 });
  for (const t of [0, 10_000, 20_000]) {
    assert.equal(throttle.retryAfterSeconds('a', t), 0);
    throttle.recordFailure('a', t);
  }
  assert.equal(throttle.retryAfterSeconds('a', 20_000), 40);
  assert.equal(throttle.retryAfterSeconds('b', 20_000), 0, 'other addresses are not affected');
  assert.equal(throttle.retryAfterSeconds('a', 59_999), 1);
  assert.equal(throttle.retryAfterSeconds('a', 60_000), 0, 'the first failure left the window');
});

test('failures spread wider than the window never block', () => {
  const throttle = new AuthFailureThrottle({ maxFailures: 2, windowMs: 1000 });
  for (let t = 0; t < 10_000; t += 600) {
    assert.equal(throttle.retryAfterSeconds('a', t), 0);
    throttle.recordFailure('a', t);
  }
});
