/**
 * The `ups.status` model: a space-separated set of tokens in no fixed order
 * (docs/NUT.md, Status tokens).
 */

export const UPS_STATUS_FLAGS = [
  'OL',
  'OB',
  'LB',
  'HB',
  'RB',
  'CHRG',
  'DISCHRG',
  'BYPASS',
  'CAL',
  'OFF',
  'OVER',
  'TRIM',
  'BOOST',
  'FSD',
  'ALARM',
  'WAIT',
  'ECO',
] as const;

export type UpsStatusFlag = (typeof UPS_STATUS_FLAGS)[number];

const KNOWN_FLAGS: ReadonlySet<string> = new Set(UPS_STATUS_FLAGS);

function isFlag(token: string): token is UpsStatusFlag {
  return KNOWN_FLAGS.has(token);
}

export interface UpsStatus {
  /** The value as read. */
  raw: string;
  /** Known flags present, deduplicated, in the order they appeared. */
  flags: readonly UpsStatusFlag[];
  /** Tokens this model does not know, kept verbatim (newer drivers add some). */
  unknownTokens: readonly string[];
  onLine: boolean;
  onBattery: boolean;
  lowBattery: boolean;
  /** FSD latched by upsd or raised by the UPS: treat like on battery + low battery. */
  forcedShutdown: boolean;
  replaceBattery: boolean;
  /** upsd's placeholder until the driver's first dump: no real state yet. */
  waiting: boolean;
}

/** Parses `ups.status`. Tokens are matched whole and case-insensitively; unknown ones are kept. */
export function parseUpsStatus(raw: string): UpsStatus {
  const flags: UpsStatusFlag[] = [];
  const unknownTokens: string[] = [];
  for (const token of raw.split(/\s+/)) {
    if (token === '') continue;
    const upper = token.toUpperCase();
    if (isFlag(upper)) {
      if (!flags.includes(upper)) flags.push(upper);
    } else if (!unknownTokens.includes(token)) {
      unknownTokens.push(token);
    }
  }
  const has = (flag: UpsStatusFlag): boolean => flags.includes(flag);
  return {
    raw,
    flags,
    unknownTokens,
    onLine: has('OL'),
    onBattery: has('OB'),
    lowBattery: has('LB'),
    forcedShutdown: has('FSD'),
    replaceBattery: has('RB'),
    waiting: has('WAIT'),
  };
}

/** True when the status carries `flag`. */
export function hasUpsStatusFlag(status: UpsStatus, flag: UpsStatusFlag): boolean {
  return status.flags.includes(flag);
}
