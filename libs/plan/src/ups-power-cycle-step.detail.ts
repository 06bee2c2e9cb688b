import { type Ups } from '@nutfleet/db';
import { isPowerCycleAction, type PowerCycleAction, type PowerCycleSettings } from '@nutfleet/power';

import { asObject, optionalString, PlanDetailError, requireNumber, requireString, stringList } from './detail-reader';
import { UPS_POWER_CYCLE_ACTION } from './step-actions';

/**
 * `PlanStep.detail` of a shutdown plan's `ups-power-cycle` step, written when the plan is made.
 * No secrets: the command account is read from the NUT server row when the step runs.
 */
export interface UpsPowerCycleStepDetail {
  readonly kind: typeof UPS_POWER_CYCLE_ACTION;
  readonly upsId: string;
  /** `name@server`, for output and events. */
  readonly upsAddress: string;
  readonly action: Exclude<PowerCycleAction, 'none'>;
  /** The plan's hosts this UPS feeds (host-power-off step keys in `dependsOn`). */
  readonly hostIds: readonly string[];
  readonly hostNames: readonly string[];
  /** Predicted send time, seconds from plan start (the last fed host predicted down). */
  readonly predictedSendSeconds: number;
  /** The preview's one-line timing, kept for the dry run's report. */
  readonly timing?: string;
}

/** Key of a UPS's power-cycle step in a plan. */
export function upsPowerCycleKey(upsId: string): string {
  return `ups:${upsId}:power-cycle`;
}

const WHAT = 'UPS power-cycle step detail';

export function readUpsPowerCycleDetail(value: unknown): UpsPowerCycleStepDetail {
  const o = asObject(value, WHAT);
  if (o.kind !== UPS_POWER_CYCLE_ACTION) throw new PlanDetailError(WHAT, 'kind', `is not "${UPS_POWER_CYCLE_ACTION}"`);
  const action = requireString(o, 'action', WHAT);
  if (!isPowerCycleAction(action) || action === 'none')
    throw new PlanDetailError(WHAT, 'action', `is "${action}", not a power-cycle action`);
  const timing = optionalString(o, 'timing', WHAT);
  return {
    kind: UPS_POWER_CYCLE_ACTION,
    upsId: requireString(o, 'upsId', WHAT),
    upsAddress: requireString(o, 'upsAddress', WHAT),
    action,
    hostIds: stringList(o, 'hostIds', WHAT),
    hostNames: stringList(o, 'hostNames', WHAT),
    predictedSendSeconds: requireNumber(o, 'predictedSendSeconds', WHAT),
    ...(timing === undefined ? {} : { timing }),
  };
}

/** A UPS row's power-cycle columns as the pure decision reads them (an unknown stored action is `none`). */
export function upsPowerCycleSettings(
  row: Pick<
    Ups,
    | 'powerCycleAction'
    | 'powerCycleOffDelaySeconds'
    | 'powerCycleOnDelaySeconds'
    | 'powerCycleChargeRestartPercent'
    | 'powerCycleAllowUnmanaged'
  >,
): PowerCycleSettings {
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
