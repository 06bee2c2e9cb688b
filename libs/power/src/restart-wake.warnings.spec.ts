import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type RestartWave } from './restart-plan.types';
import { restartWakeWarnings } from './restart-wake.warnings';
import { type UpsHistory } from './ups-observation';

const NOW = 1_000_000;
const wave = (n: number, upsIds: string[], hosts = 2): RestartWave => ({
  wave: n,
  upsIds,
  hostIds: Array.from({ length: hosts }, (_, i) => `h${n}-${i}`),
});
const reading = (upsId: string, status: string[], at = NOW - 5000): UpsHistory => ({
  upsId,
  observations: [{ at, comm: 'ok', status }],
});
const codes = (waves: RestartWave[], histories: UpsHistory[]): string[] =>
  restartWakeWarnings(waves, histories, NOW).map((w) => `${w.values.upsId}:${w.code}`);

describe('restartWakeWarnings', () => {
  test('a UPS plainly on line gives no warning', () => {
    assert.deepEqual(codes([wave(0, ['u1'])], [reading('u1', ['OL', 'CHRG'])]), []);
  });

  test('LB on line power: the woken wave would be shut down again at once', () => {
    const [warning] = restartWakeWarnings([wave(0, ['u1'], 3)], [reading('u1', ['OL', 'LB'])], NOW);
    assert.equal(warning?.code, 'WAKE_ONTO_LOW_BATTERY');
    assert.match(warning?.message ?? '', /shut down again/);
    assert.deepEqual(warning?.values, { upsId: 'u1', wave: 0, hosts: 3 });
  });

  test('a latched FSD is named with how to clear it', () => {
    const [warning] = restartWakeWarnings([wave(0, ['u1'])], [reading('u1', ['OL', 'FSD'])], NOW);
    assert.equal(warning?.code, 'WAKE_ONTO_FSD');
    assert.match(warning?.message ?? '', /restart upsd/);
  });

  test('OB LB FSD gives all three, in a fixed order', () => {
    assert.deepEqual(codes([wave(0, ['u1'])], [reading('u1', ['OB', 'LB', 'FSD'])]), [
      'u1:WAKE_ONTO_FSD',
      'u1:WAKE_ONTO_LOW_BATTERY',
      'u1:WAKE_ONTO_BATTERY',
    ]);
  });

  test('a silent or never-read UPS is a warning of its own, not a clean bill', () => {
    const silent: UpsHistory = {
      upsId: 'u1',
      observations: [
        { at: NOW - 9000, comm: 'ok', status: ['OL'] },
        { at: NOW - 4000, comm: 'lost' },
      ],
    };
    assert.deepEqual(codes([wave(0, ['u1', 'u2'])], [silent]), [
      'u1:WAKE_ONTO_UNKNOWN_UPS',
      'u2:WAKE_ONTO_UNKNOWN_UPS',
    ]);
  });

  test('readings after now are not seen; each wave is checked against its own UPSes', () => {
    const later: UpsHistory = {
      upsId: 'u2',
      observations: [
        { at: NOW - 9000, comm: 'ok', status: ['OL'] },
        { at: NOW + 1000, comm: 'ok', status: ['OB', 'LB'] },
      ],
    };
    assert.deepEqual(codes([wave(0, ['u1']), wave(1, ['u2'])], [reading('u1', ['OB', 'DISCHRG']), later]), [
      'u1:WAKE_ONTO_BATTERY',
    ]);
    const [warning] = restartWakeWarnings([wave(0, ['u2']), wave(1, ['u1'])], [reading('u1', ['OB'])], NOW);
    assert.equal(warning?.values.wave, 0, 'u2 never read: warned for wave 0');
  });
});
