import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { thresholdReadings, type UpsRowFigures } from './threshold-readings';

const now = new Date('2026-01-01T00:01:00Z');
const row = (o: Partial<UpsRowFigures>): UpsRowFigures => ({
  variables: { 'ups.load': '42', 'battery.charge': '90', 'battery.runtime': '1800' },
  commState: 'OK',
  lastSeenAt: new Date('2026-01-01T00:00:50Z'),
  ...o,
});

describe('thresholdReadings', () => {
  test('load, charge and runtime of a current row', () => {
    assert.deepEqual(thresholdReadings(row({}), now, 60_000), {
      loadPercent: 42,
      chargePercent: 90,
      runtimeSeconds: 1800,
    });
  });

  test('a row whose communication is lost, unknown or stale gives no reading at all', () => {
    assert.equal(thresholdReadings(row({ commState: 'LOST' }), now, 60_000), null);
    assert.equal(thresholdReadings(row({ commState: 'UNKNOWN' }), now, 60_000), null);
    assert.equal(thresholdReadings(row({ lastSeenAt: null }), now, 60_000), null);
    assert.equal(thresholdReadings(row({ lastSeenAt: new Date('2025-12-31T23:59:00Z') }), now, 60_000), null);
  });

  test('sentinels and nonsense are unknown: runtime 65535, runtime 0 at full charge, charge -1, text', () => {
    assert.deepEqual(
      thresholdReadings(
        row({ variables: { 'ups.load': 'n/a', 'battery.charge': '-1', 'battery.runtime': '65535' } }),
        now,
        60_000,
      ),
      {},
    );
    assert.deepEqual(
      thresholdReadings(row({ variables: { 'battery.charge': '100', 'battery.runtime': '0' } }), now, 60_000),
      { chargePercent: 100 },
    );
    assert.deepEqual(thresholdReadings(row({ variables: null }), now, 60_000), {});
  });
});
