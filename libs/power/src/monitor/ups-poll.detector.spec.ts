import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type PollOutcome } from './poll-outcome';
import { applyPollOutcome, initialUpsState, statusKey, type UpsMonitorState } from './ups-poll.detector';

/** When the monitor reports a silence (the decision counts DEADTIME itself, from the last good poll). */
const REPORT_AFTER = 15_000;
const ok = (at: number, status: string, extra: Record<string, string> = {}): PollOutcome => ({
  ok: true,
  at,
  variables: { 'ups.status': status, 'battery.charge': '90', ...extra },
});
const fail = (
  at: number,
  kind: 'server-unreachable' | 'stale' | 'unknown-ups' = 'server-unreachable',
): PollOutcome => ({
  ok: false,
  at,
  kind,
  code: kind === 'stale' ? 'DATA-STALE' : kind === 'unknown-ups' ? 'UNKNOWN-UPS' : 'SERVER-UNREACHABLE',
  message: 'x',
});

function run(state: UpsMonitorState, outcomes: PollOutcome[]): { state: UpsMonitorState; types: string[] } {
  const types: string[] = [];
  for (const outcome of outcomes) {
    const t = applyPollOutcome(state, outcome, REPORT_AFTER);
    state = t.state;
    types.push(...t.changes.map((c) => `${c.type}${c.type === 'STATUS_CHANGE' ? `:${c.status}` : ''}`));
  }
  return { state, types };
}

const fresh = (): UpsMonitorState => initialUpsState({ status: null, commState: 'UNKNOWN', commError: null });

describe('applyPollOutcome', () => {
  test('records the first status, then every change of the flag set, in order', () => {
    const { types, state } = run(fresh(), [
      ok(0, 'OL'),
      ok(1000, 'OL'),
      ok(2000, 'OB DISCHRG'),
      ok(3000, 'DISCHRG OB'),
      ok(4000, 'OB LB'),
      ok(5000, 'OL'),
    ]);
    assert.deepEqual(types, [
      'STATUS_CHANGE:OL',
      'STATUS_CHANGE:OB DISCHRG',
      'STATUS_CHANGE:OB LB',
      'STATUS_CHANGE:OL',
    ]);
    assert.equal(state.commState, 'OK');
  });

  test('the first poll after a restart compares with the stored status', () => {
    const stored = initialUpsState({ status: 'OL', commState: 'OK', commError: null });
    assert.deepEqual(run(stored, [ok(0, 'OL')]).types, []);
    assert.deepEqual(run(stored, [ok(0, 'OB')]).types, ['STATUS_CHANGE:OB']);
  });

  test('comm is reported lost only after the report delay without a good poll, with the last good poll, then restored once', () => {
    const { types, state } = run(fresh(), [ok(0, 'OB'), fail(1000), fail(10_000), fail(14_999)]);
    assert.deepEqual(types, ['STATUS_CHANGE:OB']);
    assert.equal(state.commState, 'OK');
    const lost = run(state, [fail(15_000), fail(16_000)]);
    assert.deepEqual(lost.types, ['COMM_LOST']);
    const report = applyPollOutcome(state, fail(15_000), REPORT_AFTER).changes[0];
    assert.equal(report?.data.lastGoodAt, new Date(0).toISOString(), 'the decision counts DEADTIME from here');
    assert.equal(lost.state.commState, 'LOST');
    assert.equal(lost.state.error, 'SERVER-UNREACHABLE');
    const back = run(lost.state, [ok(20_000, 'OB'), ok(21_000, 'OB')]);
    assert.deepEqual(back.types, ['COMM_RESTORED']);
    assert.equal(back.state.error, null);
  });

  test('a status change during the silence is recorded after COMM_RESTORED', () => {
    const { types } = run(fresh(), [ok(0, 'OL'), fail(1000), fail(20_000), ok(21_000, 'OB')]);
    assert.deepEqual(types, ['STATUS_CHANGE:OL', 'COMM_LOST', 'COMM_RESTORED', 'STATUS_CHANGE:OB']);
  });

  test('a UPS never read counts the silence from its first failure and shows the reason at once', () => {
    const first = applyPollOutcome(fresh(), fail(5000, 'unknown-ups'), REPORT_AFTER);
    assert.equal(first.state.error, 'UNKNOWN-UPS');
    assert.equal(first.state.commState, 'UNKNOWN');
    assert.ok(first.significant);
    assert.deepEqual(run(first.state, [fail(19_999, 'unknown-ups'), fail(20_000, 'unknown-ups')]).types, ['COMM_LOST']);
  });

  test('DATA-STALE is recorded at once, counts as a failed poll, and its end is recorded', () => {
    const { types, state } = run(fresh(), [ok(0, 'OL'), fail(1000, 'stale'), fail(2000, 'stale')]);
    assert.deepEqual(types, ['STATUS_CHANGE:OL', 'STALE_DATA']);
    assert.equal(state.stale, true);
    assert.equal(state.commState, 'OK');
    const later = run(state, [fail(15_000, 'stale'), ok(16_000, 'OL')]);
    assert.deepEqual(later.types, ['COMM_LOST', 'COMM_RESTORED', 'STALE_DATA']);
    assert.equal(later.state.stale, false);
  });

  test('a WAIT placeholder is not a reading', () => {
    const { types, state } = run(fresh(), [ok(0, 'OL'), ok(1000, 'WAIT')]);
    assert.deepEqual(types, ['STATUS_CHANGE:OL']);
    assert.equal(state.status, 'OL');
    assert.equal(state.failingSince, 1000);
  });

  test('statusKey ignores order, case, duplicates and spacing', () => {
    assert.equal(statusKey(' ob  LB ob'), statusKey('LB OB'));
    assert.equal(statusKey(null), '');
  });

  test('a stored LOST state is restored by the first good poll', () => {
    const stored = initialUpsState({ status: 'OB', commState: 'LOST', commError: 'SERVER-UNREACHABLE' });
    const t = applyPollOutcome(stored, ok(0, 'OB'), REPORT_AFTER);
    assert.deepEqual(
      t.changes.map((c) => c.type),
      ['COMM_RESTORED'],
    );
    assert.ok(t.significant);
  });
});
