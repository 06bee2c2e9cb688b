import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  NutAccessDeniedError,
  NutDataStaleError,
  NutNotConnectedError,
  NutConnectError,
  NutTimeoutError,
  NutUnknownUpsError,
} from '@nutfleet/nut';

import { EventsCursorError, parseEventsCursor, parseEventsLimit } from './events-cursor';
import { serverObservedAt } from './server-observed-at';
import { classifyPollError } from './ups-poll.outcome';
import { shouldWriteUpsRow, trackedVariablesChanged } from '@nutfleet/power';

describe('parseEventsCursor / parseEventsLimit', () => {
  test('ids, ISO times, nothing', () => {
    assert.deepEqual(parseEventsCursor('42'), { kind: 'id', id: 42n });
    assert.deepEqual(parseEventsCursor(undefined), { kind: 'start' });
    const t = parseEventsCursor('2026-01-31T12:00:00Z');
    assert.equal(t.kind === 'time' && t.at.toISOString(), '2026-01-31T12:00:00.000Z');
    for (const bad of ['May 3', '-1', '1.5', '99999999999999999999', '2026-13-45T99:99'])
      assert.throws(() => parseEventsCursor(bad), EventsCursorError, bad);
  });
  test('limits', () => {
    assert.equal(parseEventsLimit(undefined), 100);
    assert.equal(parseEventsLimit('1000'), 1000);
    for (const bad of ['0', '1001', 'x', '-5']) assert.throws(() => parseEventsLimit(bad), EventsCursorError);
  });
});

describe('serverObservedAt', () => {
  test('reads ups.date + ups.time, else null', () => {
    assert.equal(
      serverObservedAt({ 'ups.date': '2026-03-01', 'ups.time': '10:20:30' })?.toISOString(),
      '2026-03-01T10:20:30.000Z',
    );
    assert.equal(
      serverObservedAt({ 'ups.date': '03/01/2026', 'ups.time': '10:20:30' })?.toISOString(),
      '2026-03-01T10:20:30.000Z',
    );
    assert.equal(serverObservedAt({ 'ups.status': 'OL' }), null);
    assert.equal(serverObservedAt({ 'ups.date': '2026-02-31', 'ups.time': '10:20:30' }), null);
    assert.equal(serverObservedAt({ 'ups.date': 'garbage', 'ups.time': '10:20' }), null);
  });
});

describe('classifyPollError', () => {
  test('maps NUT errors to kinds, looking through NotConnected at its cause', () => {
    const at = 1;
    assert.equal(classifyPollError(new NutDataStaleError('DATA-STALE', []), at).kind, 'stale');
    assert.equal(classifyPollError(new NutUnknownUpsError('UNKNOWN-UPS', []), at).code, 'UNKNOWN-UPS');
    assert.equal(classifyPollError(new NutTimeoutError(1000), at).kind, 'timeout');
    const refused = new NutNotConnectedError('no live connection', { cause: new NutConnectError('ECONNREFUSED') });
    assert.equal(classifyPollError(refused, at).kind, 'server-unreachable');
    const denied = new NutNotConnectedError('no live connection', {
      cause: new NutAccessDeniedError('ACCESS-DENIED', []),
    });
    assert.equal(classifyPollError(denied, at).code, 'ACCESS-DENIED');
  });
});

describe('shouldWriteUpsRow', () => {
  const base = {
    now: 10_000,
    significant: false,
    lastWriteAt: 9000,
    writtenVariables: { 'battery.charge': '90' },
    currentVariables: { 'battery.charge': '90' },
    minVariablesIntervalMs: 5000,
    lastSeenRefreshMs: 30_000,
  };
  test('significant changes and first writes at once; drift rate-limited; lastSeen refreshed', () => {
    assert.equal(shouldWriteUpsRow(base), false);
    assert.equal(shouldWriteUpsRow({ ...base, significant: true }), true);
    assert.equal(shouldWriteUpsRow({ ...base, lastWriteAt: null }), true);
    const drift = { ...base, currentVariables: { 'battery.charge': '89' } };
    assert.equal(shouldWriteUpsRow(drift), false);
    assert.equal(shouldWriteUpsRow({ ...drift, now: 14_000 }), true);
    assert.equal(shouldWriteUpsRow({ ...base, now: 39_000 }), true);
  });
  test('only shutdown-relevant variables count as drift', () => {
    assert.equal(trackedVariablesChanged({ 'input.voltage': '230' }, { 'input.voltage': '231' }), false);
    assert.equal(trackedVariablesChanged({ 'ups.load': '20' }, { 'ups.load': '21' }), true);
  });
});
