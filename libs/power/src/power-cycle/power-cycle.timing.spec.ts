import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PowerCycleTimingInput, powerCycleTiming } from './power-cycle.timing';

const T = Date.UTC(2026, 11, 4, 12, 0, 0);
const base: PowerCycleTimingInput = {
  upsId: 'ups-a',
  settings: { action: 'shutdown.return', allowWithUnmanagedLoads: false, offDelaySeconds: 20, onDelaySeconds: 60 },
  planStartAt: T,
  lastHostDownAt: T + 300_000,
};

describe('powerCycleTiming', () => {
  it('sent when the last host is predicted down, output off after the configured delay', () => {
    const timing = powerCycleTiming(base);
    assert.equal(timing.sendAt, T + 300_000);
    assert.equal(timing.outputOffAt, T + 320_000);
    assert.deepEqual(timing.warnings, []);
    assert.equal(
      timing.summary,
      'shutdown.return on ups-a once the last host is down (predicted 2026-12-04T12:05:00.000Z), output off at 2026-12-04T12:05:20.000Z, back on 60 s after mains is',
    );
  });

  it("the UPS's own delay when none is configured; a warning when neither is known", () => {
    const own = powerCycleTiming({
      ...base,
      settings: { action: 'shutdown.return', allowWithUnmanagedLoads: false },
      upsShutdownDelaySeconds: 90,
    });
    assert.equal(own.offDelaySeconds, 90);
    const unknown = powerCycleTiming({
      ...base,
      settings: { action: 'shutdown.return', allowWithUnmanagedLoads: false },
    });
    assert.equal(unknown.outputOffAt, undefined);
    assert.deepEqual(
      unknown.warnings.map((w) => w.code),
      ['UPS_DELAY_UNKNOWN'],
    );
  });

  it('warns when a NUT primary with HOSTSYNC would cut power before the hosts are down', () => {
    const early = powerCycleTiming({ ...base, primaryHostSyncSeconds: 15 });
    assert.deepEqual(
      early.warnings.map((w) => w.code),
      ['NUT_PRIMARY_CUTS_FIRST'],
    );
    assert.match(
      early.warnings[0]?.message ?? '',
      /HOSTSYNC 15 s would cut power at 2026-12-04T12:00:15.000Z, 285 s before/,
    );
    assert.deepEqual(powerCycleTiming({ ...base, primaryHostSyncSeconds: 600 }).warnings, []);
  });

  it('shutdown.stayoff says it stays off', () => {
    const timing = powerCycleTiming({ ...base, settings: { ...base.settings, action: 'shutdown.stayoff' } });
    assert.deepEqual(
      timing.warnings.map((w) => w.code),
      ['STAYOFF_NO_RESTART'],
    );
    assert.match(timing.summary, /and it stays off$/);
  });
});
