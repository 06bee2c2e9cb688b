import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type UpsLiveView } from '../power-monitor/ups-live.view';
import { EXPORTED_UPS_FLAGS, hostUp, upsGroupLabel, upsSamples } from './ups-metric-series';

const AT = { nutServer: 'nas-a', group: 'edge' };

function view(overrides: Partial<UpsLiveView>): UpsLiveView {
  return {
    id: 'u1',
    name: 'ups1',
    description: null,
    nutServerId: 's1',
    address: 'ups1@127.0.0.1:3493',
    status: 'OL',
    flags: ['OL'],
    onBattery: false,
    lowBattery: false,
    batteryCharge: 100,
    batteryRuntimeSeconds: 1800,
    upsLoad: 23,
    commState: 'OK',
    commError: null,
    lastSeenAt: null,
    updatedAt: new Date(0).toISOString(),
    ...overrides,
  };
}

describe('upsSamples', () => {
  test('one 0/1 sample per standard flag, labelled with the UPS address', () => {
    const s = upsSamples(view({ flags: ['OB', 'DISCHRG', 'LB'] }), AT);
    assert.equal(s.status.length, EXPORTED_UPS_FLAGS.length);
    const on = s.status.filter((x) => x.value === 1).map((x) => x.labels.flag);
    assert.deepEqual(on.sort(), ['DISCHRG', 'LB', 'OB']);
    assert.equal(s.status[0]?.labels.ups, 'ups1@127.0.0.1:3493');
  });

  test('vendor flags are added; junk tokens are not labels', () => {
    const s = upsSamples(view({ flags: ['OL', 'ECO', 'bad token'] }), AT);
    assert.ok(s.status.some((x) => x.labels.flag === 'ECO' && x.value === 1));
    assert.ok(!s.status.some((x) => x.labels.flag === 'bad token'));
  });

  test('missing variables give no sample; comm state maps to 0/1', () => {
    const s = upsSamples(
      view({ batteryCharge: null, batteryRuntimeSeconds: null, upsLoad: null, commState: 'LOST' }),
      AT,
    );
    assert.equal(s.charge, null);
    assert.equal(s.runtime, null);
    assert.equal(s.load, null);
    assert.equal(s.commOk.value, 0);
    assert.equal(upsSamples(view({}), AT).runtime?.value, 1800);
  });
});

describe('UPS placement labels', () => {
  test('every UPS sample carries its NUT server and group', () => {
    const s = upsSamples(view({}), AT);
    for (const sample of [...s.status, s.commOk, s.charge, s.runtime, s.load])
      assert.deepEqual(
        { nut_server: sample?.labels.nut_server, group: sample?.labels.group },
        { nut_server: 'nas-a', group: 'edge' },
      );
  });

  test('group: the distinct groups of the hosts it powers, sorted; ungrouped hosts unnamed; none gives ""', () => {
    assert.equal(upsGroupLabel(['lab', 'edge', 'lab', null]), 'edge,lab');
    assert.equal(upsGroupLabel(['edge', 'edge']), 'edge');
    assert.equal(upsGroupLabel([null, null]), '');
    assert.equal(upsGroupLabel([]), '');
  });
});

describe('hostUp', () => {
  test('up only when seen and without error', () => {
    assert.equal(hostUp({ name: 'h', trustState: 'TRUSTED', lastSeenAt: new Date(), lastError: null }), 1);
    assert.equal(hostUp({ name: 'h', trustState: 'TRUSTED', lastSeenAt: new Date(), lastError: 'ECONNREFUSED' }), 0);
    assert.equal(hostUp({ name: 'h', trustState: 'UNTRUSTED', lastSeenAt: null, lastError: null }), 0);
  });
});
