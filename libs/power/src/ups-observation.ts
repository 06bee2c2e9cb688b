import { type EpochMs } from './time';

/** `name@server`, or any stable id the caller uses for a UPS. */
export type UpsId = string;

/**
 * One change seen by the monitor. A history is piecewise constant: each observation holds
 * from `at` until the next one, so the monitor only needs to record changes (PowerEvents).
 */
export type UpsObservation = UpsReading | UpsCommLost;

/** A successful poll: the UPS answered. */
export interface UpsReading {
  readonly at: EpochMs;
  readonly comm: 'ok';
  /** `ups.status` tokens, e.g. `['OB', 'LB']`. Unknown tokens are kept and ignored. */
  readonly status: readonly string[];
  /** `battery.charge` in %, when the UPS reports it. */
  readonly charge?: number;
  /** `battery.runtime` in seconds, when the UPS reports it. */
  readonly runtimeSeconds?: number;
}

/** A failed poll: the NUT server or the UPS did not answer (upsmon's COMMBAD). */
export interface UpsCommLost {
  readonly at: EpochMs;
  readonly comm: 'lost';
}

export interface UpsHistory {
  readonly upsId: UpsId;
  /** NUT server the UPS is reached through; restart gates check its reachability. */
  readonly nutServerId?: string;
  /**
   * Oldest first. Must reach back to the observation that opened the current state, and
   * cover the flap window, otherwise time on battery is under-counted.
   */
  readonly observations: readonly UpsObservation[];
}

/** Splits a raw `ups.status` value into tokens (`"OB  LB"` -> `['OB', 'LB']`). */
export function parseUpsStatus(raw: string): string[] {
  return raw.split(/\s+/).filter((token) => token.length > 0);
}

export function hasToken(reading: UpsReading, token: string): boolean {
  return reading.status.includes(token);
}

/** Mains absent. A calibration (CAL) also shows OB; the LB rule, not this one, excuses it. */
export function isOnBattery(reading: UpsReading): boolean {
  return hasToken(reading, 'OB');
}

/** Mains present and nothing the UPS itself flags as an emergency. */
export function isCleanlyOnLine(reading: UpsReading): boolean {
  return hasToken(reading, 'OL') && !hasToken(reading, 'OB') && !hasToken(reading, 'LB') && !hasToken(reading, 'FSD');
}
