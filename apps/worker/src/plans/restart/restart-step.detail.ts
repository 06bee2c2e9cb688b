/** `PlanStep.detail` of a restart step, written once when the plan is created. No secrets. */
export interface RestartStepDetail {
  readonly kind: RestartStepKind;
  readonly hostName: string;
  readonly wave: number;
  readonly timeoutSeconds: number;
  /** The host's whole budget from its magic packet to verified ESXi. */
  readonly hostTimeoutSeconds: number;
  /** `power-on-vms`: VM ids in autostart order. */
  readonly vmIds?: readonly string[];
}

export type RestartStepKind = 'wake' | 'wait-ssh' | 'verify-esxi' | 'power-on-vms';

const KINDS: readonly string[] = ['wake', 'wait-ssh', 'verify-esxi', 'power-on-vms'];

/** The detail when the step is a restart step, else undefined (a shutdown step). */
export function readRestartStepDetail(value: unknown): RestartStepDetail | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' && KINDS.includes(kind) ? (value as RestartStepDetail) : undefined;
}
