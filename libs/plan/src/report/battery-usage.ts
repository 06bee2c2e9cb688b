import { type EpochMs, saneCharge, saneRuntime } from '@nutfleet/power';

import { type ReportBattery, type ReportUpsInput, type ReportUpsSampleInput } from './plan-report.types';

/** A sample this long before the plan started still stands for the battery at its start. */
const START_LOOKBACK_MS = 5 * 60 * 1000;

/**
 * Battery used per UPS over the plan: the reading at its start (the last sample before it, else
 * the first during it) against the last one up to its end. Sentinels and absurd figures are
 * unknown (`saneCharge`/`saneRuntime`), never a used amount.
 */
export function batteryUsage(
  ups: readonly ReportUpsInput[],
  samples: readonly ReportUpsSampleInput[],
  from: EpochMs,
  to: EpochMs,
): ReportBattery[] {
  return [...ups]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((u) => {
      const own = samples
        .filter((s) => s.upsId === u.id && s.at >= from - START_LOOKBACK_MS && s.at <= to)
        .sort((a, b) => a.at - b.at);
      const before = own.filter((s) => s.at <= from);
      const during = own.filter((s) => s.at >= from);
      const start = before.at(-1) ?? during[0];
      const end = during.at(-1) ?? before.at(-1);
      const counted = start === undefined ? [] : own.filter((s) => s.at >= start.at);
      const charges = counted.map(chargeOf).filter((c): c is number => c !== null);
      const startReading = start === undefined ? null : reading(start);
      const endReading = end === undefined ? null : reading(end);
      return {
        upsId: u.id,
        upsName: u.name,
        start: startReading,
        end: endReading,
        chargeUsedPercent: used(startReading?.chargePercent, endReading?.chargePercent),
        runtimeUsedSeconds: used(startReading?.runtimeSeconds, endReading?.runtimeSeconds),
        lowestChargePercent: charges.length === 0 ? null : Math.min(...charges),
        samples: counted.length,
      };
    });
}

function chargeOf(s: ReportUpsSampleInput): number | null {
  return saneCharge(s.charge ?? undefined).value ?? null;
}

function reading(s: ReportUpsSampleInput): ReportBattery['start'] {
  const charge = s.charge ?? undefined;
  return {
    at: new Date(s.at).toISOString(),
    chargePercent: chargeOf(s),
    runtimeSeconds: saneRuntime(s.runtimeSeconds ?? undefined, saneCharge(charge).value).value ?? null,
  };
}

function used(start: number | null | undefined, end: number | null | undefined): number | null {
  if (start === null || start === undefined || end === null || end === undefined) return null;
  return Math.round((start - end) * 10) / 10;
}
