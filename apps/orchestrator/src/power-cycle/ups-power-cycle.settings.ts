import { type Ups } from '@nutfleet/db';
import { isPowerCycleAction, type PowerCycleSettings } from '@nutfleet/power';

type PowerCycleColumns = Pick<
  Ups,
  | 'powerCycleAction'
  | 'powerCycleOffDelaySeconds'
  | 'powerCycleOnDelaySeconds'
  | 'powerCycleChargeRestartPercent'
  | 'powerCycleAllowUnmanaged'
>;

/** A UPS row's power-cycle columns as the pure decision reads them (an unknown stored action is `none`). */
export function powerCycleSettingsOf(row: PowerCycleColumns): PowerCycleSettings {
  return {
    action: isPowerCycleAction(row.powerCycleAction) ? row.powerCycleAction : 'none',
    ...(row.powerCycleOffDelaySeconds === null ? {} : { offDelaySeconds: row.powerCycleOffDelaySeconds }),
    ...(row.powerCycleOnDelaySeconds === null ? {} : { onDelaySeconds: row.powerCycleOnDelaySeconds }),
    ...(row.powerCycleChargeRestartPercent === null
      ? {}
      : { chargeRestartPercent: row.powerCycleChargeRestartPercent }),
    allowWithUnmanagedLoads: row.powerCycleAllowUnmanaged,
  };
}
