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
  /** `battery.runtime` in seconds, when the UPS reports it (raw: see battery-readings for what it is worth). */
  readonly runtimeSeconds?: number;
  /** `input.voltage`: a calibrating UPS that reports no input voltage is in a real outage. */
  readonly inputVoltage?: number;
  /** `battery.charge.low`: where the UPS raises LB; runtime predictions run down to it. */
  readonly chargeLowPercent?: number;
}

/** A failed poll: the NUT server or the UPS did not answer (upsmon's COMMBAD). */
export interface UpsCommLost {
  readonly at: EpochMs;
  readonly comm: 'lost';
  /**
   * The monitor's last good poll before the silence. DEADTIME counts from it (upsmon's
   * `now - lastpoll > deadtime`), however late the silence was reported; absent, from the
   * last reading of the history, else from `at`.
   */
  readonly lastGoodAt?: EpochMs;
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

/** Whether a raw `ups.status` shows OB (null: never read). */
export function isOnBatteryStatus(status: string | null): boolean {
  return status !== null && parseUpsStatus(status).includes('OB');
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

/** Administratively off: the UPS does not feed its load (OB or OL describe only its input). */
export function isOff(reading: UpsReading): boolean {
  return hasToken(reading, 'OFF');
}

export function isCalibrating(reading: UpsReading): boolean {
  return hasToken(reading, 'CAL');
}

/** Mains present and the load fed (LB or a latched FSD notwithstanding): power is back. */
export function hasMains(reading: UpsReading): boolean {
  return hasToken(reading, 'OL') && !hasToken(reading, 'OB') && !hasToken(reading, 'OFF');
}

/** Mains present, the load fed, and nothing the UPS itself flags as an emergency. */
export function isCleanlyOnLine(reading: UpsReading): boolean {
  return (
    hasToken(reading, 'OL') &&
    !hasToken(reading, 'OB') &&
    !hasToken(reading, 'LB') &&
    !hasToken(reading, 'FSD') &&
    !hasToken(reading, 'OFF')
  );
}
