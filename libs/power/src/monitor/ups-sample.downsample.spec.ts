import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type UpsSampleRecord } from './ups-history.builder';
import { downsampleUpsSamples } from './ups-sample.downsample';

const sample = (at: number, charge: number | null, load?: number | null): UpsSampleRecord => ({
  at,
  status: 'OL',
  charge,
  runtimeSeconds: charge === null ? null : charge * 10,
  inputVoltage: 230,
  ...(load !== undefined ? { load } : {}),
});

describe('UPS chart points', () => {
  test('few samples are returned as recorded, in time order, window [from, to)', () => {
    const points = downsampleUpsSamples(
      [sample(3000, 90, 40), sample(1000, 100, 35), sample(9000, 50)],
      1000,
      9000,
      10,
    );
    assert.deepEqual(
      points.map((p) => [p.at, p.charge, p.runtimeSeconds, p.load, p.inputVoltage, p.samples]),
      [
        [1000, 100, 1000, 35, 230, 1],
        [3000, 90, 900, 40, 230, 1],
      ],
    );
  });

  test('many samples become at most maxPoints bucket means; a missing value counts for nothing', () => {
    const samples = [sample(0, 100, 10), sample(1000, 80, null), sample(2000, 60, 30), sample(3000, null, 50)];
    const points = downsampleUpsSamples(samples, 0, 4000, 2);
    assert.deepEqual(
      points.map((p) => [p.at, p.charge, p.load, p.samples]),
      [
        [500, 90, 10, 2],
        [2500, 60, 40, 2],
      ],
    );
  });

  test('an empty bucket is no point (the chart shows a gap), a bucket without a field has null', () => {
    const samples = [sample(0, 100), sample(100, 90), sample(900, null), sample(950, null)];
    const points = downsampleUpsSamples(samples, 0, 1000, 3);
    assert.deepEqual(
      points.map((p) => [p.at, p.charge, p.samples]),
      [
        [50, 95, 2],
        [925, null, 2],
      ],
    );
  });

  test('an empty or inverted window has no points', () => {
    assert.deepEqual(downsampleUpsSamples([sample(5, 1)], 10, 10, 5), []);
    assert.deepEqual(downsampleUpsSamples([sample(5, 1)], 0, 10, 0), []);
  });
});
