import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { maxOf, minOf } from './extremes';

describe('maxOf / minOf', () => {
  test('agree with Math.max / Math.min on small inputs, negatives and infinities included', () => {
    for (const values of [
      [1],
      [3, -2, 7, 7, 0],
      [-5, -1, -9],
      [Number.NEGATIVE_INFINITY, 2, Number.POSITIVE_INFINITY],
    ]) {
      assert.equal(maxOf(values), Math.max(...values));
      assert.equal(minOf(values), Math.min(...values));
    }
  });

  test('nothing to compare: undefined, never ±Infinity', () => {
    assert.equal(maxOf([]), undefined);
    assert.equal(minOf([]), undefined);
  });

  test('a NaN among the values gives NaN, as Math.max does', () => {
    assert.ok(Number.isNaN(maxOf([1, Number.NaN, 3])));
    assert.ok(Number.isNaN(minOf([1, Number.NaN, 3])));
  });

  test('500,000 values, where Math.max(...values) overflows the stack', () => {
    const values = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
    assert.throws(() => Math.max(...values), RangeError);
    assert.equal(maxOf(values), 499_999);
    assert.equal(minOf(values), 0);
  });
});
