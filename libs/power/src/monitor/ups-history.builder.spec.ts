import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildUpsHistory } from './ups-history.builder';

const ups = {
  id: 'u1',
  nutServerId: 's1',
  status: 'OB LB',
  variables: { 'battery.charge': '9', 'battery.runtime': '60' },
  commState: 'OK' as const,
  lastSeenAt: 5000,
};

describe('buildUpsHistory', () => {
  test('status changes become readings, comm loss a failed poll, the row ends it', () => {
    const h = buildUpsHistory(
      ups,
      [
        { type: 'STATUS_CHANGE', status: 'OB DISCHRG', data: { 'battery.charge': '80' }, at: 2000 },
        { type: 'STATUS_CHANGE', status: 'OL', data: {}, at: 1000 },
        { type: 'COMM_LOST', status: null, data: {}, at: 3000 },
        { type: 'COMM_RESTORED', status: 'OB LB', data: {}, at: 4000 },
      ],
      10_000,
    );
    assert.deepEqual(
      h.observations.map((o) => [o.at, o.comm, o.comm === 'ok' ? o.status.join(' ') : '']),
      [
        [1000, 'ok', 'OL'],
        [2000, 'ok', 'OB DISCHRG'],
        [3000, 'lost', ''],
        [4000, 'ok', 'OB LB'],
        [5000, 'ok', 'OB LB'],
      ],
    );
    const last = h.observations.at(-1);
    assert.equal(last?.comm === 'ok' ? last.runtimeSeconds : undefined, 60);
  });

  test('a UPS the monitor lost ends with a failed poll', () => {
    const h = buildUpsHistory(
      { ...ups, commState: 'LOST' },
      [{ type: 'STATUS_CHANGE', status: 'OB', data: {}, at: 1000 }],
      9000,
    );
    const last = h.observations.at(-1);
    assert.equal(last?.comm, 'lost');
    assert.equal(last?.comm === 'lost' ? last.lastGoodAt : undefined, 5000, 'DEADTIME counts from the last good poll');
  });

  test('a recorded comm loss carries the last good poll, however late it was reported', () => {
    const h = buildUpsHistory(
      { ...ups, commState: 'LOST' },
      [
        { type: 'STATUS_CHANGE', status: 'OB', data: { 'input.voltage': '0' }, at: 1000 },
        { type: 'COMM_LOST', status: 'OB', data: { lastGoodAt: new Date(2000).toISOString() }, at: 5000 },
      ],
      9000,
    );
    assert.deepEqual(h.observations.at(-1), { at: 5000, comm: 'lost', lastGoodAt: 2000 });
    const first = h.observations[0];
    assert.equal(first?.comm === 'ok' ? first.inputVoltage : undefined, 0);
  });

  test('battery samples join as readings in time order, after a change of the same instant', () => {
    const h = buildUpsHistory(
      { ...ups, status: 'OB', lastSeenAt: 9000 },
      [{ type: 'STATUS_CHANGE', status: 'OB', data: { 'battery.charge': '80' }, at: 2000 }],
      10_000,
      [
        { at: 6000, status: 'OB', charge: 70, runtimeSeconds: 65535, inputVoltage: null },
        { at: 2000, status: 'OB', charge: 80, runtimeSeconds: null, inputVoltage: null },
        { at: 11_000, status: 'OB', charge: 1, runtimeSeconds: null, inputVoltage: null },
      ],
    );
    assert.deepEqual(
      h.observations.map((o) => [o.at, o.comm === 'ok' ? (o.charge ?? null) : null]),
      [
        [2000, 80],
        [2000, 80],
        [6000, 70],
        [9000, 9],
      ],
    );
  });
});
