import { PowerInputError } from '../power-input.error';
import {
  POWER_CYCLE_VARIABLES,
  type PowerCycleAction,
  type PowerCycleCommand,
  type PowerCycleSettings,
  isPowerCycleAction,
} from './power-cycle.types';

/** What the UPS offers, as `LIST CMD` and `LIST RW` report it. */
export interface UpsCapabilities {
  readonly commands: readonly string[];
  /** Names of the writable variables (`LIST RW`). */
  readonly writable: readonly string[];
}

export interface SkippedSetting {
  readonly variable: string;
  readonly value: string;
  /** Why it is not written first: the UPS does not offer it writable. */
  readonly reason: string;
}

export interface PowerCyclePlan {
  readonly action: PowerCycleAction;
  /** False when the UPS lacks an instant command the action needs (`missingCommands`). */
  readonly supported: boolean;
  readonly missingCommands: readonly string[];
  /** SET VAR first (only writable ones), then the instant command(s), in this order. */
  readonly commands: readonly PowerCycleCommand[];
  /** Configured delays the UPS does not let us write: it will use its own. */
  readonly skippedSettings: readonly SkippedSetting[];
}

const MAX_DELAY_SECONDS = 86_400;

/** The instant commands an action sends, in order. */
export function instantCommandsFor(action: PowerCycleAction): readonly string[] {
  switch (action) {
    case 'none':
      return [];
    case 'shutdown.return':
    case 'shutdown.stayoff':
      return [action];
    case 'load.off.delay+load.on.delay':
      return ['load.off.delay', 'load.on.delay'];
  }
}

function checkDelay(value: number | undefined, field: string, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new PowerInputError(field, `must be a whole number from 0 to ${max} (got ${value})`);
}

/** Refuses settings a UPS could not honour; throws PowerInputError naming the field. */
export function validatePowerCycleSettings(settings: PowerCycleSettings): void {
  if (!isPowerCycleAction(settings.action))
    throw new PowerInputError('action', `unknown action ${JSON.stringify(settings.action)}`);
  checkDelay(settings.offDelaySeconds, 'offDelaySeconds', MAX_DELAY_SECONDS);
  checkDelay(settings.onDelaySeconds, 'onDelaySeconds', MAX_DELAY_SECONDS);
  checkDelay(settings.chargeRestartPercent, 'chargeRestartPercent', 100);
  if (
    settings.action === 'load.off.delay+load.on.delay' &&
    settings.offDelaySeconds !== undefined &&
    settings.onDelaySeconds !== undefined &&
    settings.onDelaySeconds <= settings.offDelaySeconds
  ) {
    // Both timers run from (nearly) the same moment: an on-timer that ends first is ignored by
    // the UPS, and the output stays off.
    throw new PowerInputError(
      'onDelaySeconds',
      `must be longer than offDelaySeconds (${settings.offDelaySeconds}) for load.off.delay+load.on.delay`,
    );
  }
}

/**
 * The requests for one power cycle, given what the UPS offers. Delays are written first where
 * the UPS has them writable (the others are listed, the UPS keeps its own); the delayed
 * `load.*.delay` commands also carry their delay as the command's value, as NUT defines them.
 */
export function planPowerCycleCommands(settings: PowerCycleSettings, capabilities: UpsCapabilities): PowerCyclePlan {
  validatePowerCycleSettings(settings);
  const offered = new Set(capabilities.commands);
  const writable = new Set(capabilities.writable);
  const needed = instantCommandsFor(settings.action);
  const missingCommands = needed.filter((command) => !offered.has(command));
  const commands: PowerCycleCommand[] = [];
  const skippedSettings: SkippedSetting[] = [];
  if (settings.action !== 'none') {
    for (const key of ['offDelaySeconds', 'onDelaySeconds', 'chargeRestartPercent'] as const) {
      const value = settings[key];
      if (value === undefined) continue;
      // shutdown.stayoff never restarts: its start delay and restart charge mean nothing.
      if (settings.action === 'shutdown.stayoff' && key !== 'offDelaySeconds') continue;
      const variable = POWER_CYCLE_VARIABLES[key];
      if (writable.has(variable)) commands.push({ kind: 'set-var', name: variable, value: String(value) });
      else skippedSettings.push({ variable, value: String(value), reason: `${variable} is not writable on this UPS` });
    }
  }
  for (const command of needed) {
    const delay =
      command === 'load.off.delay'
        ? settings.offDelaySeconds
        : command === 'load.on.delay'
          ? settings.onDelaySeconds
          : undefined;
    commands.push(
      delay === undefined ? { kind: 'instcmd', command } : { kind: 'instcmd', command, param: String(delay) },
    );
  }
  return {
    action: settings.action,
    supported: settings.action !== 'none' && missingCommands.length === 0,
    missingCommands,
    commands,
    skippedSettings,
  };
}
