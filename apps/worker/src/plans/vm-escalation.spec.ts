import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type VmActionRung } from '@nutfleet/power';

import { afterRung, isStopped, remainingRungMs } from './vm-escalation';

const ladder: VmActionRung[] = [
  { action: 'guest-shutdown', timeoutSeconds: 120 },
  { action: 'suspend', timeoutSeconds: 60 },
  { action: 'power-off', timeoutSeconds: 30 },
];

describe('afterRung (VM escalation ladder)', () => {
  test('a stopped VM ends the ladder', () => {
    assert.deepEqual(afterRung(ladder, 0, 'stopped'), { kind: 'done' });
  });
  test('guest shutdown timeout escalates to the next rung', () => {
    assert.deepEqual(afterRung(ladder, 0, 'timed-out'), { kind: 'next', rungIndex: 1, rung: ladder[1] });
  });
  test('a refused guest shutdown (no Tools) escalates at once', () => {
    assert.deepEqual(afterRung(ladder, 0, 'refused'), { kind: 'next', rungIndex: 1, rung: ladder[1] });
    assert.deepEqual(afterRung(ladder, 1, 'timed-out'), { kind: 'next', rungIndex: 2, rung: ladder[2] });
  });
  test('the last rung failing exhausts the ladder with a reason', () => {
    const r = afterRung(ladder, 2, 'timed-out');
    assert.equal(r.kind, 'exhausted');
    assert.match(r.kind === 'exhausted' ? r.reason : '', /power-off did not stop the VM within 30 s/);
  });
  test('suspended counts as stopped; resumed rungs keep their remaining time', () => {
    assert.equal(isStopped('suspended'), true);
    assert.equal(isStopped('on'), false);
    assert.equal(remainingRungMs(ladder[2]!, 1000, 11_000), 20_000);
    assert.equal(remainingRungMs(ladder[2]!, 1000, 99_000), 0);
  });
});
