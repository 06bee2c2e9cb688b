import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PowerInputError } from '../power-input.error';
import { instantCommandsFor, planPowerCycleCommands, validatePowerCycleSettings } from './power-cycle.commands';
import { POWER_CYCLE_ACTIONS, type PowerCycleSettings, isPowerCycleAction } from './power-cycle.types';

const ALL = {
  commands: ['shutdown.return', 'shutdown.stayoff', 'load.off.delay', 'load.on.delay', 'load.off'],
  writable: ['ups.delay.shutdown', 'ups.delay.start', 'battery.charge.restart'],
};
const settings = (over: Partial<PowerCycleSettings>): PowerCycleSettings => ({
  action: 'shutdown.return',
  allowWithUnmanagedLoads: false,
  ...over,
});

describe('planPowerCycleCommands', () => {
  it('shutdown.return: writes the three settings first, then the command', () => {
    const plan = planPowerCycleCommands(
      settings({ offDelaySeconds: 20, onDelaySeconds: 60, chargeRestartPercent: 30 }),
      ALL,
    );
    assert.equal(plan.supported, true);
    assert.deepEqual(plan.commands, [
      { kind: 'set-var', name: 'ups.delay.shutdown', value: '20' },
      { kind: 'set-var', name: 'ups.delay.start', value: '60' },
      { kind: 'set-var', name: 'battery.charge.restart', value: '30' },
      { kind: 'instcmd', command: 'shutdown.return' },
    ]);
    assert.deepEqual(plan.skippedSettings, []);
  });

  it('settings the UPS has read-only are skipped and listed; unset ones are not written', () => {
    const plan = planPowerCycleCommands(settings({ offDelaySeconds: 20, onDelaySeconds: 60 }), {
      commands: ['shutdown.return'],
      writable: ['ups.delay.start'],
    });
    assert.deepEqual(plan.commands, [
      { kind: 'set-var', name: 'ups.delay.start', value: '60' },
      { kind: 'instcmd', command: 'shutdown.return' },
    ]);
    assert.deepEqual(plan.skippedSettings, [
      { variable: 'ups.delay.shutdown', value: '20', reason: 'ups.delay.shutdown is not writable on this UPS' },
    ]);
  });

  it('shutdown.stayoff writes only the shutdown delay (nothing restarts)', () => {
    const plan = planPowerCycleCommands(
      settings({ action: 'shutdown.stayoff', offDelaySeconds: 5, onDelaySeconds: 60, chargeRestartPercent: 30 }),
      ALL,
    );
    assert.deepEqual(plan.commands, [
      { kind: 'set-var', name: 'ups.delay.shutdown', value: '5' },
      { kind: 'instcmd', command: 'shutdown.stayoff' },
    ]);
  });

  it('load.off.delay then load.on.delay, each with its delay as the value', () => {
    const plan = planPowerCycleCommands(
      settings({ action: 'load.off.delay+load.on.delay', offDelaySeconds: 10, onDelaySeconds: 40 }),
      ALL,
    );
    assert.deepEqual(plan.commands.slice(-2), [
      { kind: 'instcmd', command: 'load.off.delay', param: '10' },
      { kind: 'instcmd', command: 'load.on.delay', param: '40' },
    ]);
    const bare = planPowerCycleCommands(settings({ action: 'load.off.delay+load.on.delay' }), ALL);
    assert.deepEqual(bare.commands, [
      { kind: 'instcmd', command: 'load.off.delay' },
      { kind: 'instcmd', command: 'load.on.delay' },
    ]);
  });

  it('a UPS without the command: not supported, naming what is missing (dummy-ups has only load.off)', () => {
    const plan = planPowerCycleCommands(settings({}), { commands: ['load.off'], writable: [] });
    assert.equal(plan.supported, false);
    assert.deepEqual(plan.missingCommands, ['shutdown.return']);
    const both = planPowerCycleCommands(settings({ action: 'load.off.delay+load.on.delay' }), {
      commands: ['load.on.delay'],
      writable: [],
    });
    assert.deepEqual(both.missingCommands, ['load.off.delay']);
  });

  it('none: nothing to send and nothing supported', () => {
    const plan = planPowerCycleCommands(settings({ action: 'none', offDelaySeconds: 3 }), ALL);
    assert.deepEqual(plan.commands, []);
    assert.equal(plan.supported, false);
  });

  it('every action maps to its instant commands', () => {
    assert.deepEqual(
      POWER_CYCLE_ACTIONS.map((action) => [action, instantCommandsFor(action)]),
      [
        ['none', []],
        ['shutdown.return', ['shutdown.return']],
        ['shutdown.stayoff', ['shutdown.stayoff']],
        ['load.off.delay+load.on.delay', ['load.off.delay', 'load.on.delay']],
      ],
    );
    assert.equal(isPowerCycleAction('load.off'), false);
  });
});

describe('validatePowerCycleSettings', () => {
  const refused = (over: Partial<PowerCycleSettings>, field: string): void => {
    assert.throws(
      () => validatePowerCycleSettings(settings(over)),
      (error: unknown) => error instanceof PowerInputError && error.field === field,
    );
  };

  it('refuses negative, fractional and huge delays and a charge over 100, naming the field', () => {
    refused({ offDelaySeconds: -1 }, 'offDelaySeconds');
    refused({ onDelaySeconds: 1.5 }, 'onDelaySeconds');
    refused({ offDelaySeconds: 86_401 }, 'offDelaySeconds');
    refused({ chargeRestartPercent: 101 }, 'chargeRestartPercent');
    refused({ action: 'load.off' as never }, 'action');
  });

  it('load.off.delay+load.on.delay needs the on delay longer than the off delay', () => {
    refused({ action: 'load.off.delay+load.on.delay', offDelaySeconds: 30, onDelaySeconds: 30 }, 'onDelaySeconds');
    validatePowerCycleSettings(
      settings({ action: 'load.off.delay+load.on.delay', offDelaySeconds: 30, onDelaySeconds: 31 }),
    );
    // Other actions count the start delay from mains coming back: any value is fine.
    validatePowerCycleSettings(settings({ offDelaySeconds: 30, onDelaySeconds: 0 }));
  });
});
