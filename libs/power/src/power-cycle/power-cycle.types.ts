/**
 * What nutfleet may do to a UPS once every host it feeds is down: cut the output for a moment so
 * that hosts set to "power on after AC loss" boot again even if mains came back during the
 * shutdown (the most frequent complaint of NUT users: hosts that stay off).
 */

/**
 * - `none`: nothing (default).
 * - `shutdown.return`: the UPS cuts the output after its shutdown delay and restores it once
 *   mains is back (it waits for mains by itself).
 * - `shutdown.stayoff`: the output goes off and stays off (someone turns it back on).
 * - `load.off.delay+load.on.delay`: the two timers sent explicitly, for units whose
 *   `shutdown.return` does nothing (nut#3229). Only while the input is on line: on battery it
 *   would bring the load back on battery.
 */
export const POWER_CYCLE_ACTIONS = [
  'none',
  'shutdown.return',
  'shutdown.stayoff',
  'load.off.delay+load.on.delay',
] as const;
export type PowerCycleAction = (typeof POWER_CYCLE_ACTIONS)[number];

export function isPowerCycleAction(value: string): value is PowerCycleAction {
  return (POWER_CYCLE_ACTIONS as readonly string[]).includes(value);
}

/** Per-UPS settings (admin-only in the API). */
export interface PowerCycleSettings {
  readonly action: PowerCycleAction;
  /** Written to `ups.delay.shutdown` first where writable: seconds between the command and the cut. */
  readonly offDelaySeconds?: number;
  /** Written to `ups.delay.start` first where writable: seconds before the output comes back. */
  readonly onDelaySeconds?: number;
  /** Written to `battery.charge.restart` first where writable: % of charge before power-on. */
  readonly chargeRestartPercent?: number;
  /**
   * The admin's override: this UPS also feeds hosts the plan leaves running or loads nutfleet
   * does not manage, and the cycle may cut them anyway.
   */
  readonly allowWithUnmanagedLoads: boolean;
}

export const DEFAULT_POWER_CYCLE_SETTINGS: PowerCycleSettings = { action: 'none', allowWithUnmanagedLoads: false };

/** One request to the NUT server, in the order they must be sent. */
export type PowerCycleCommand =
  | { readonly kind: 'set-var'; readonly name: string; readonly value: string }
  | { readonly kind: 'instcmd'; readonly command: string; readonly param?: string };

/** The NUT variables the settings map to. */
export const POWER_CYCLE_VARIABLES = {
  offDelaySeconds: 'ups.delay.shutdown',
  onDelaySeconds: 'ups.delay.start',
  chargeRestartPercent: 'battery.charge.restart',
} as const;
