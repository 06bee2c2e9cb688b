import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { batteryUsage } from './battery-usage';
import { at } from './report-fixtures';

const UPS = [{ id: 'u1', name: 'ups1@nut1' }];

describe('batteryUsage', () => {
  test('no sample: the UPS is listed with nothing known', () => {
    const [u] = batteryUsage(UPS, [], at(0), at(100));
    assert.deepEqual(u, {
      upsId: 'u1',
      upsName: 'ups1@nut1',
      start: null,
      end: null,
      chargeUsedPercent: null,
      runtimeUsedSeconds: null,
      lowestChargePercent: null,
      samples: 0,
    });
  });

  test('without a sample before the start, the first one during the plan stands for it', () => {
    const [u] = batteryUsage(
      UPS,
      [
        { upsId: 'u1', at: at(10), charge: 90, runtimeSeconds: 900 },
        { upsId: 'u1', at: at(60), charge: 82.5, runtimeSeconds: 700 },
      ],
      at(0),
      at(100),
    );
    assert.equal(u?.chargeUsedPercent, 7.5);
    assert.equal(u?.runtimeUsedSeconds, 200);
  });

  test('sentinel runtimes and impossible charges are unknown, never a used amount', () => {
    const [u] = batteryUsage(
      UPS,
      [
        { upsId: 'u1', at: at(0), charge: -1, runtimeSeconds: 65535 },
        { upsId: 'u1', at: at(60), charge: 50, runtimeSeconds: 600 },
      ],
      at(0),
      at(100),
    );
    assert.equal(u?.start?.chargePercent, null);
    assert.equal(u?.start?.runtimeSeconds, null);
    assert.equal(u?.chargeUsedPercent, null);
    assert.equal(u?.runtimeUsedSeconds, null);
    assert.equal(u?.lowestChargePercent, 50);
  });

  test('samples of other UPSes and long before the plan are not counted', () => {
    const [u] = batteryUsage(
      UPS,
      [
        { upsId: 'u1', at: at(-3600), charge: 100, runtimeSeconds: 3000 },
        { upsId: 'u2', at: at(5), charge: 10, runtimeSeconds: 60 },
        { upsId: 'u1', at: at(5), charge: 99, runtimeSeconds: 2900 },
      ],
      at(0),
      at(100),
    );
    assert.equal(u?.samples, 1);
    assert.equal(u?.chargeUsedPercent, 0);
    assert.equal(u?.lowestChargePercent, 99);
  });
});
