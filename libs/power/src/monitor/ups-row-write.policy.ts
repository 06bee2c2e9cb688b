/**
 * When to write a Ups row. Every significant change is written at once; shutdown-relevant
 * numbers that drift (charge, runtime, load) at most every `minVariablesIntervalMs`; and
 * lastSeenAt is refreshed every `lastSeenRefreshMs` even when nothing changed. A real UPS
 * changes input.voltage on almost every poll: writing each one would load the database for
 * nothing.
 */
export const TRACKED_VARIABLES = [
  'battery.charge',
  'battery.charge.low',
  'battery.runtime',
  'battery.runtime.low',
  'ups.load',
  'ups.alarm',
] as const;

/** The minimum spacing of those numbers' writes (and of battery samples) while the status is steady. */
export const MIN_VARIABLES_WRITE_INTERVAL_MS = 5000;

export interface RowWriteInput {
  now: number;
  significant: boolean;
  /** When this monitor last wrote the row, epoch ms; null if never. */
  lastWriteAt: number | null;
  writtenVariables: Readonly<Record<string, string>> | null;
  currentVariables: Readonly<Record<string, string>> | null;
  minVariablesIntervalMs: number;
  lastSeenRefreshMs: number;
  /**
   * On battery the charge and runtime are what the decisions read: a change is written with the
   * poll that saw it (the spacing only spares the database while on mains).
   */
  onBattery?: boolean;
}

export function trackedVariablesChanged(
  before: Readonly<Record<string, string>> | null,
  after: Readonly<Record<string, string>> | null,
): boolean {
  if (after === null) return false;
  if (before === null) return true;
  return TRACKED_VARIABLES.some((name) => before[name] !== after[name]);
}

export function shouldWriteUpsRow(input: RowWriteInput): boolean {
  if (input.significant || input.lastWriteAt === null) return true;
  const sinceWrite = input.now - input.lastWriteAt;
  if (sinceWrite >= input.lastSeenRefreshMs) return true;
  return (
    (input.onBattery === true || sinceWrite >= input.minVariablesIntervalMs) &&
    trackedVariablesChanged(input.writtenVariables, input.currentVariables)
  );
}
