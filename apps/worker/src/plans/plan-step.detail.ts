import { type VmActionRung } from '@nutfleet/power';

/** `PlanStep.detail`: what the step does, written once when the plan is created. No secrets. */
export interface PlanStepDetail {
  readonly kind: 'vm-stop' | 'host-power-off';
  readonly hostName: string;
  readonly vmId?: string;
  readonly vmName?: string;
  readonly batch?: number;
  readonly ladder: readonly VmActionRung[];
  readonly startOffsetSeconds: number;
  readonly deadlineOffsetSeconds: number;
  readonly predictedStartSeconds: number;
  readonly predictedEndSeconds: number;
  readonly why: string;
}

/** `PlanStep.progress`: where a VM ladder stands, so a resumed job neither restarts nor resends. */
export interface VmStepProgress {
  readonly rungIndex: number;
  readonly rungStartedAt: number;
  /** The rung's command was sent (a resumed job only waits out the remaining time). */
  readonly sent: boolean;
}

export function readStepDetail(value: unknown): PlanStepDetail {
  if (typeof value !== 'object' || value === null || !('kind' in value) || !('ladder' in value)) {
    throw new Error('plan step has no usable detail (created by an older version?)');
  }
  return value as PlanStepDetail;
}

export function readVmProgress(value: unknown): VmStepProgress | undefined {
  if (typeof value !== 'object' || value === null || !('rungIndex' in value)) return undefined;
  return value as VmStepProgress;
}
