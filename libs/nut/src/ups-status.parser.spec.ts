import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasUpsStatusFlag, parseUpsStatus, UPS_STATUS_FLAGS } from './ups-status.parser';

describe('parseUpsStatus', () => {
  for (const flag of UPS_STATUS_FLAGS) {
    it(`recognises ${flag} alone and among others`, () => {
      assert.deepEqual(parseUpsStatus(flag).flags, [flag]);
      const mixed = parseUpsStatus(`X1 ${flag} Y2`);
      assert.equal(hasUpsStatusFlag(mixed, flag), true);
      assert.deepEqual(mixed.unknownTokens, ['X1', 'Y2']);
    });
  }

  it('derives the booleans', () => {
    const status = parseUpsStatus('FSD OB LB RB');
    assert.deepEqual(
      [
        status.onLine,
        status.onBattery,
        status.lowBattery,
        status.forcedShutdown,
        status.replaceBattery,
        status.waiting,
      ],
      [false, true, true, true, true, false],
    );
    assert.equal(parseUpsStatus('OL CHRG').onLine, true);
    assert.equal(parseUpsStatus('WAIT').waiting, true);
  });

  it('matches whole tokens only, any case, any whitespace, any order, no duplicates', () => {
    assert.deepEqual(parseUpsStatus('OLB').flags, []);
    assert.deepEqual(parseUpsStatus('OLB').unknownTokens, ['OLB']);
    assert.deepEqual(parseUpsStatus('  lb\tob  ').flags, ['LB', 'OB']);
    assert.deepEqual(parseUpsStatus('OL OL').flags, ['OL']);
    assert.deepEqual(parseUpsStatus('DISCHRG CHRG').flags, ['DISCHRG', 'CHRG']);
  });

  it('handles empty and whitespace-only values', () => {
    for (const raw of ['', '   ']) {
      const status = parseUpsStatus(raw);
      assert.deepEqual(status.flags, []);
      assert.deepEqual(status.unknownTokens, []);
      assert.equal(status.raw, raw);
    }
  });

  it('keeps unknown tokens verbatim', () => {
    assert.deepEqual(parseUpsStatus('OL HE ECOmode').unknownTokens, ['HE', 'ECOmode']);
  });
});
