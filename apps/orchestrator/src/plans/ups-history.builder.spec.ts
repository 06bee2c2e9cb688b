import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type UpsHistory } from '@nutfleet/power';

import { outageKey, outageOver } from './outage-plan.rules';
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
    assert.equal(h.observations.at(-1)?.comm, 'lost');
  });
});

describe('outage rules', () => {
  const history = (obs: UpsHistory['observations']): UpsHistory => ({ upsId: 'u1', observations: obs });
  test('the outage key is the start of the on-battery episode, stable across evaluations', () => {
    const h = history([
      { at: 1000, comm: 'ok', status: ['OL'] },
      { at: 2000, comm: 'ok', status: ['OB'] },
      { at: 9000, comm: 'ok', status: ['OB', 'LB'] },
    ]);
    assert.equal(outageKey(['u1'], [h], 10_000), outageKey(['u1'], [h], 60_000));
    assert.equal(outageKey(['u1'], [h], 10_000), `outage-${new Date(2000).toISOString()}`);
  });
  test('the outage is over only once every plan UPS is back on line after the plan started', () => {
    const h = history([
      { at: 2000, comm: 'ok', status: ['OB'] },
      { at: 8000, comm: 'ok', status: ['OL'] },
    ]);
    assert.equal(outageOver(['u1'], 5000, [h], 6000), false);
    assert.equal(outageOver(['u1'], 5000, [h], 9000), true);
    assert.equal(outageOver(['u1', 'u2'], 5000, [h], 9000), false);
  });
});
