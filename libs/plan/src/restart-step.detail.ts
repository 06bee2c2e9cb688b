import { asObject, optionalNumber, PlanDetailError, requireNumber, requireString, stringList } from './detail-reader';
import { RESTART_GATE_ACTION, RESTART_STEP_ACTIONS, type RestartStepAction } from './step-actions';

/** `PlanStep.detail` of a restart host step, written once when the plan is made. No secrets. */
export interface RestartStepDetail {
  readonly kind: RestartStepAction;
  readonly hostName: string;
  readonly wave: number;
  readonly timeoutSeconds: number;
  /** The host's whole budget from its magic packet to verified ESXi. */
  readonly hostTimeoutSeconds: number;
  /** `power-on-vms`: VM ids in autostart order. */
  readonly vmIds?: readonly string[];
}

/** `PlanStep.detail` of a restart wave's gate step (the orchestrator completes it). */
export interface RestartGateStepDetail {
  readonly kind: typeof RESTART_GATE_ACTION;
  readonly wave: number;
  readonly hostCount: number;
  readonly upsIds: readonly string[];
}

/** Key of the step standing for a wave's gate. */
export function gateKey(wave: number): string {
  return `wave:${wave}:gate`;
}

const WHAT = 'restart step detail';

export function readRestartStepDetail(value: unknown): RestartStepDetail {
  const o = asObject(value, WHAT);
  const kind = requireString(o, 'kind', WHAT);
  if (!(RESTART_STEP_ACTIONS as readonly string[]).includes(kind))
    throw new PlanDetailError(WHAT, 'kind', `is "${kind}", not a restart host step`);
  const hostTimeoutSeconds = optionalNumber(o, 'hostTimeoutSeconds', WHAT);
  const timeoutSeconds = requireNumber(o, 'timeoutSeconds', WHAT);
  return {
    kind: kind as RestartStepAction,
    hostName: requireString(o, 'hostName', WHAT),
    wave: requireNumber(o, 'wave', WHAT),
    timeoutSeconds,
    hostTimeoutSeconds: hostTimeoutSeconds ?? timeoutSeconds,
    ...(o.vmIds !== undefined ? { vmIds: stringList(o, 'vmIds', WHAT) } : {}),
  };
}

export function readRestartGateStepDetail(value: unknown): RestartGateStepDetail {
  const what = 'restart gate detail';
  const o = asObject(value, what);
  if (o.kind !== RESTART_GATE_ACTION) throw new PlanDetailError(what, 'kind', `is not "${RESTART_GATE_ACTION}"`);
  return {
    kind: RESTART_GATE_ACTION,
    wave: requireNumber(o, 'wave', what),
    hostCount: requireNumber(o, 'hostCount', what),
    upsIds: stringList(o, 'upsIds', what),
  };
}
