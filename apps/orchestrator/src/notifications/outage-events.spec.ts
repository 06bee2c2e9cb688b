import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { outageClosedDraft, outageOpenedDraft, type OutageSource, spokenDuration } from './outage-events';

const outage = (o: Partial<OutageSource>): OutageSource => ({
  id: 'o1',
  openedAt: new Date('2026-01-01T00:00:00Z'),
  closedAt: null,
  closeReason: null,
  disarmedBy: null,
  upses: ['ups1@nut:3493'],
  hosts: ['esx-01', 'esx-02'],
  ...o,
});

describe('outage drafts', () => {
  test('opened: a warning naming the UPS and the hosts it feeds, once per outage', () => {
    const d = outageOpenedDraft(outage({}));
    assert.equal(d.dedupKey, 'outage:o1:opened');
    assert.equal(d.message.eventType, 'outage.opened');
    assert.equal(d.message.severity, 'WARNING');
    assert.equal(d.message.title, 'Outage: UPS ups1@nut:3493 left line power');
    assert.match(d.message.text, /It feeds 2 hosts: esx-01, esx-02\./);
    assert.deepEqual(d.message.refs, { outageId: 'o1' });
    const two = outageOpenedDraft(outage({ upses: ['a@n:1', 'b@n:1'] }));
    assert.equal(two.message.title, 'Outage: 2 UPSes left line power');
    assert.match(two.message.text, /They feed 2 hosts/);
  });

  test('closed: how long it lasted and why; nothing while open', () => {
    assert.equal(outageClosedDraft(outage({})), null);
    const d = outageClosedDraft(
      outage({ closedAt: new Date('2026-01-01T00:12:05Z'), closeReason: 'restarted', disarmedBy: 'operator:ops' }),
    );
    assert.equal(d?.dedupKey, 'outage:o1:closed');
    assert.equal(d?.message.severity, 'INFO');
    assert.equal(d?.message.title, 'Outage closed after 12 min 5 s (restarted)');
    assert.match(d?.message.text ?? '', /cancelled by operator:ops/);
    assert.match(d?.message.text ?? '', /Hosts concerned: esx-01, esx-02\./);
  });

  test('durations read as people say them', () => {
    assert.equal(spokenDuration(40_000), '40 s');
    assert.equal(spokenDuration(725_000), '12 min 5 s');
    assert.equal(spokenDuration(3_900_000), '1 h 5 min');
  });
});
