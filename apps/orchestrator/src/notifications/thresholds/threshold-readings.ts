/**
 * Pure: the figures a UPS row holds, as the threshold rules read them. Sentinels and absurd
 * values (runtime 65535, charge -1, runtime 0 on mains) are unknown, never a crossing.
 */
import { type ThresholdReadings } from '@nutfleet/notify';
import { saneCharge, saneRuntime } from '@nutfleet/power';

export interface UpsRowFigures {
  variables: unknown;
  commState: 'UNKNOWN' | 'OK' | 'LOST';
  lastSeenAt: Date | null;
}

function numberOf(variables: Record<string, unknown>, name: string): number | undefined {
  const raw = variables[name];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The readings, or null when the row is not current: communication lost or unknown, or not
 * refreshed for `maxAgeMs` (the monitor stopped), so old figures never fire or clear an alert.
 */
export function thresholdReadings(row: UpsRowFigures, now: Date, maxAgeMs: number): ThresholdReadings | null {
  if (row.commState !== 'OK' || row.lastSeenAt === null) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > maxAgeMs) return null;
  const variables =
    typeof row.variables === 'object' && row.variables !== null ? (row.variables as Record<string, unknown>) : {};
  const load = numberOf(variables, 'ups.load');
  const charge = saneCharge(numberOf(variables, 'battery.charge')).value;
  const runtime = saneRuntime(numberOf(variables, 'battery.runtime'), charge).value;
  return {
    ...(load !== undefined && load >= 0 ? { loadPercent: load } : {}),
    ...(charge !== undefined ? { chargePercent: charge } : {}),
    ...(runtime !== undefined ? { runtimeSeconds: runtime } : {}),
  };
}
