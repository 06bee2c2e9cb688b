import { type UpsId } from './ups-observation';

export type ReasonCode =
  | 'NO_DATA'
  | 'ON_LINE'
  | 'ON_BATTERY'
  | 'BLIP_IGNORED'
  | 'FLAPPING'
  | 'FORCED_SHUTDOWN'
  | 'LOW_BATTERY'
  | 'LOW_BATTERY_PENDING'
  | 'CALIBRATION'
  | 'CALIBRATION_EMERGENCY'
  | 'CALIBRATION_NO_INPUT'
  | 'CALIBRATION_TOO_LONG'
  | 'UPS_OFF'
  | 'UPS_OFF_PENDING'
  | 'UPS_OFF_IGNORED'
  | 'ON_BATTERY_BUDGET'
  | 'READING_UNKNOWN'
  | 'ON_BATTERY_TIME'
  | 'RUNTIME_LOW'
  | 'CHARGE_LOW'
  | 'THRESHOLDS_NOT_ALL_MET'
  | 'COMM_LOST_GRACE'
  | 'COMM_LOST_ON_BATTERY'
  | 'COMM_LOST_ON_LINE'
  | 'SUPPLIES_SUFFICIENT'
  | 'SUPPLIES_INSUFFICIENT'
  | 'MIN_SUPPLIES_ZERO'
  | 'UNKNOWN_UPS';

/**
 * One line of explanation. `message` is what an operator reads; `code`, `upsId` and `values`
 * let a UI group, filter or chart the same facts.
 */
export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
  readonly upsId?: UpsId;
  readonly values?: Readonly<Record<string, number | string | boolean>>;
}
