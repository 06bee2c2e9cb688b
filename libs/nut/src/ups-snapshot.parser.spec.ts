import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNutNumber, parseUpsSnapshot } from './ups-snapshot.parser';

describe('parseNutNumber', () => {
  const cases: [string | undefined, number | null][] = [
    ['100', 100],
    ['98.5', 98.5],
    [' 42 ', 42],
    ['230,4', 230.4],
    ['+5', 5],
    ['-1', -1],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['230 V', 230],
    ['85%', 85],
    ['0', 0],
    ['', null],
    ['   ', null],
    ['n/a', null],
    ['unknown', null],
    ['NaN', null],
    ['Infinity', null],
    ['1.2.3', null],
    ['12abc34', null],
    ['0x10', null],
    [undefined, null],
    ['1e999', null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(parseNutNumber(input), expected));
  }
});

describe('parseUpsSnapshot', () => {
  it('reads every shutdown-relevant variable', () => {
    const snapshot = parseUpsSnapshot({
      'ups.status': 'OB LB',
      'battery.charge': '9',
      'battery.charge.low': '10',
      'battery.runtime': '120',
      'battery.runtime.low': '180',
      'ups.load': '37.5',
      'input.voltage': '0.0',
      'ups.alarm': ' Replace battery! ',
      'device.model': 'ignored',
    });
    assert.deepEqual(snapshot.status?.flags, ['OB', 'LB']);
    assert.equal(snapshot.batteryCharge, 9);
    assert.equal(snapshot.batteryChargeLow, 10);
    assert.equal(snapshot.batteryRuntime, 120);
    assert.equal(snapshot.batteryRuntimeLow, 180);
    assert.equal(snapshot.upsLoad, 37.5);
    assert.equal(snapshot.inputVoltage, 0);
    assert.equal(snapshot.alarm, 'Replace battery!');
  });

  it('gives null for anything missing or unparsable', () => {
    assert.deepEqual(parseUpsSnapshot({ 'battery.charge': 'n/a', 'ups.alarm': '' }), {
      status: null,
      batteryCharge: null,
      batteryChargeLow: null,
      batteryRuntime: null,
      batteryRuntimeLow: null,
      upsLoad: null,
      inputVoltage: null,
      alarm: null,
    });
  });

  it('does not read inherited properties', () => {
    const variables = Object.create({ 'battery.charge': '50' }) as Record<string, string>;
    assert.equal(parseUpsSnapshot(variables).batteryCharge, null);
  });
});
