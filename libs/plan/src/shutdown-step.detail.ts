import { type PredictionSource, readPredictionSource, type VmActionRung } from '@nutfleet/power';

import {
  asObject,
  type JsonObject,
  optionalNumber,
  optionalString,
  PlanDetailError,
  requireArray,
  requireNumber,
  requireString,
} from './detail-reader';
import { SHUTDOWN_STEP_ACTIONS, type ShutdownStepAction } from './step-actions';

/** What every shutdown step's `PlanStep.detail` holds, written once when the plan is made. No secrets. */
interface ShutdownStepDetailBase {
  readonly kind: ShutdownStepAction;
  readonly hostName: string;
  /** VM steps: the escalation ladder. Host step: one rung (`poweroff`) with the policy timeout. */
  readonly ladder: readonly VmActionRung[];
  /** Worst-case timeline, seconds from plan start. */
  readonly startOffsetSeconds: number;
  readonly deadlineOffsetSeconds: number;
  /** Predicted timeline (measured durations where known). */
  readonly predictedStartSeconds: number;
  readonly predictedEndSeconds: number;
  /** Where the predicted duration comes from (plans made before it was recorded have none). */
  readonly predictionSource?: PredictionSource;
  readonly why: string;
}

export interface VmStopStepDetail extends ShutdownStepDetailBase {
  readonly kind: 'vm-stop';
  readonly vmId: string;
  readonly vmName: string | null;
  readonly batch: number;
}

export interface HostPowerOffStepDetail extends ShutdownStepDetailBase {
  readonly kind: 'host-power-off';
  /** The host's VM list was unreadable when the plan was made (why): the step re-reads it first. */
  readonly vmsUnknown?: string;
}

export type ShutdownStepDetail = VmStopStepDetail | HostPowerOffStepDetail;

/** `PlanStep.progress` of a VM step: where its ladder stands, so a resumed job neither restarts nor resends. */
export interface VmStepProgress {
  readonly rungIndex: number;
  readonly rungStartedAt: number;
  /** The rung's command was sent (a resumed job only waits out the remaining time). */
  readonly sent: boolean;
}

const WHAT = 'shutdown step detail';
const RUNG_ACTIONS: readonly string[] = ['guest-shutdown', 'suspend', 'power-off'];

export function readShutdownStepDetail(value: unknown): ShutdownStepDetail {
  const o = asObject(value, WHAT);
  const kind = requireString(o, 'kind', WHAT);
  if (!(SHUTDOWN_STEP_ACTIONS as readonly string[]).includes(kind))
    throw new PlanDetailError(WHAT, 'kind', `is "${kind}", not a shutdown step`);
  const source = readPredictionSource(o.predictionSource);
  const base: ShutdownStepDetailBase = {
    kind: kind as ShutdownStepAction,
    hostName: requireString(o, 'hostName', WHAT),
    ladder: readLadder(o),
    startOffsetSeconds: requireNumber(o, 'startOffsetSeconds', WHAT),
    deadlineOffsetSeconds: requireNumber(o, 'deadlineOffsetSeconds', WHAT),
    predictedStartSeconds: requireNumber(o, 'predictedStartSeconds', WHAT),
    predictedEndSeconds: requireNumber(o, 'predictedEndSeconds', WHAT),
    why: requireString(o, 'why', WHAT),
    ...(source === null ? {} : { predictionSource: source }),
  };
  if (kind === 'host-power-off') {
    const vmsUnknown = optionalString(o, 'vmsUnknown', WHAT);
    return { ...base, kind, ...(vmsUnknown !== undefined ? { vmsUnknown } : {}) };
  }
  return {
    ...base,
    kind: 'vm-stop',
    vmId: requireString(o, 'vmId', WHAT),
    vmName: optionalString(o, 'vmName', WHAT) ?? null,
    batch: optionalNumber(o, 'batch', WHAT) ?? 0,
  };
}

function readLadder(o: JsonObject): VmActionRung[] {
  return requireArray(o, 'ladder', WHAT).map((item, index) => {
    const rung = asObject(item, `${WHAT} ladder[${index}]`);
    const action = requireString(rung, 'action', WHAT);
    if (!RUNG_ACTIONS.includes(action)) throw new PlanDetailError(WHAT, `ladder[${index}].action`, `is "${action}"`);
    return {
      action: action as VmActionRung['action'],
      timeoutSeconds: requireNumber(rung, 'timeoutSeconds', WHAT),
    };
  });
}

/** Undefined when the step has not started its ladder (or progress is not a VM step's). */
export function readVmProgress(value: unknown): VmStepProgress | undefined {
  if (typeof value !== 'object' || value === null || !('rungIndex' in value)) return undefined;
  const o = value as JsonObject;
  return {
    rungIndex: requireNumber(o, 'rungIndex', 'VM step progress'),
    rungStartedAt: requireNumber(o, 'rungStartedAt', 'VM step progress'),
    sent: o.sent === true,
  };
}

export function readVmStopDetail(value: unknown): VmStopStepDetail {
  const detail = readShutdownStepDetail(value);
  if (detail.kind !== 'vm-stop') throw new PlanDetailError(WHAT, 'kind', `is "${detail.kind}", not "vm-stop"`);
  return detail;
}

export function readHostPowerOffDetail(value: unknown): HostPowerOffStepDetail {
  const detail = readShutdownStepDetail(value);
  if (detail.kind !== 'host-power-off')
    throw new PlanDetailError(WHAT, 'kind', `is "${detail.kind}", not "host-power-off"`);
  return detail;
}
