import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { drillEligibility, type DrillRequestFacts } from './drill-eligibility';

const group = { id: 'g1', name: 'drill-lab' };
const facts = (over: Partial<DrillRequestFacts> = {}): DrillRequestFacts => ({
  kind: 'live',
  group,
  groupHostIds: ['a', 'b', 'c'],
  confirm: 'drill-lab',
  outageOpen: null,
  runningDrillIds: [],
  ...over,
});
const codes = (f: DrillRequestFacts): string[] => {
  const e = drillEligibility(f);
  return e.ok ? [] : e.refusals.map((r) => r.code);
};

describe('drillEligibility', () => {
  test('a confirmed live drill of a group takes every host of the group', () => {
    assert.deepEqual(drillEligibility(facts()), { ok: true, hostIds: ['a', 'b', 'c'] });
  });

  test('a chosen subset of the group is drilled alone', () => {
    assert.deepEqual(drillEligibility(facts({ requestedHostIds: ['b', 'b'] })), { ok: true, hostIds: ['b'] });
  });

  test('a host outside the group is refused, named', () => {
    const e = drillEligibility(facts({ requestedHostIds: ['a', 'prod-1'] }));
    assert.equal(e.ok, false);
    assert.ok(!e.ok && e.refusals[0]?.code === 'HOST_NOT_IN_GROUP' && e.refusals[0].message.includes('prod-1'));
  });

  test('a live drill needs the group name typed as confirmation', () => {
    assert.deepEqual(codes(facts({ confirm: undefined })), ['CONFIRMATION_MISSING']);
    assert.deepEqual(codes(facts({ confirm: 'Drill-Lab' })), ['CONFIRMATION_MISMATCH']);
  });

  test('a rehearsal needs no confirmation: it sends nothing that changes state', () => {
    assert.equal(drillEligibility(facts({ kind: 'rehearsal', confirm: undefined })).ok, true);
  });

  test('no drill of either kind starts while a real outage is open', () => {
    assert.deepEqual(codes(facts({ outageOpen: { id: 'o1' } })), ['OUTAGE_OPEN']);
    assert.deepEqual(codes(facts({ kind: 'rehearsal', outageOpen: { id: 'o1' } })), ['OUTAGE_OPEN']);
  });

  test('an empty group and a drill already running on the hosts are refused together', () => {
    assert.deepEqual(codes(facts({ groupHostIds: [], runningDrillIds: ['d1'] })), ['DRILL_RUNNING', 'GROUP_EMPTY']);
  });
});
