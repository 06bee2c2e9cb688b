/** Typed view of the shutdown-relevant variables of one UPS, from a LIST VAR result. */
import { parseUpsStatus, type UpsStatus } from './ups-status.parser';

export interface UpsSnapshot {
  /** Parsed `ups.status`, or null when the UPS does not report it. */
  status: UpsStatus | null;
  /** `battery.charge`, percent. */
  batteryCharge: number | null;
  /** `battery.charge.low`, percent at which the UPS raises LB. */
  batteryChargeLow: number | null;
  /** `battery.runtime`, seconds. */
  batteryRuntime: number | null;
  /** `battery.runtime.low`, seconds left when LB is raised. */
  batteryRuntimeLow: number | null;
  /** `ups.load`, percent. */
  upsLoad: number | null;
  /** `input.voltage`, volts. */
  inputVoltage: number | null;
  /** `ups.alarm` text, or null when absent or empty. */
  alarm: string | null;
}

/**
 * Tolerant number parsing for values drivers send: surrounding spaces, a decimal comma,
 * a leading `+`, and a trailing unit (`230 V`, `85%`) are accepted; anything without a finite
 * leading number (empty, `n/a`, `unknown`) is null rather than NaN.
 */
export function parseNutNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)(?:\s*[A-Za-z%°]*)\s*$/.exec(value);
  if (match?.[1] === undefined) return null;
  const parsed = Number(match[1].replace(',', '.'));
  return Number.isFinite(parsed) ? parsed : null;
}

/** Builds the snapshot from `name → value` (e.g. NutClient.listVars). Missing or unparsable numbers are null. */
export function parseUpsSnapshot(variables: Readonly<Record<string, string>>): UpsSnapshot {
  const read = (name: string): string | undefined =>
    Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
  const status = read('ups.status');
  const alarm = read('ups.alarm')?.trim();
  return {
    status: status === undefined ? null : parseUpsStatus(status),
    batteryCharge: parseNutNumber(read('battery.charge')),
    batteryChargeLow: parseNutNumber(read('battery.charge.low')),
    batteryRuntime: parseNutNumber(read('battery.runtime')),
    batteryRuntimeLow: parseNutNumber(read('battery.runtime.low')),
    upsLoad: parseNutNumber(read('ups.load')),
    inputVoltage: parseNutNumber(read('input.voltage')),
    alarm: alarm === undefined || alarm === '' ? null : alarm,
  };
}
