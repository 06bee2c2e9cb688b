import { type PlanReportInput, type ReportPlanInput, type ReportStepInput } from './plan-report.types';

/** Instants of the report specs: the plan starts at T0. */
export const T0 = Date.parse('2026-12-04T10:00:00.000Z');
export const at = (seconds: number): number => T0 + seconds * 1000;

export function reportPlan(overrides: Partial<ReportPlanInput> = {}): ReportPlanInput {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'SHUTDOWN',
    mode: 'ARMED',
    state: 'SUCCEEDED',
    reason: 'UPS ups1 on battery for 60 s',
    createdBy: 'power-monitor',
    createdAt: at(-1),
    startedAt: at(0),
    finishedAt: at(100),
    cancelledAt: null,
    cancelledBy: null,
    predictedSeconds: 90,
    outageId: null,
    ...overrides,
  };
}

interface ShutdownStepOptions {
  readonly hostId: string;
  readonly hostName: string;
  readonly vm?: { readonly id: string; readonly name: string };
  readonly predicted: readonly [number, number];
  readonly ran?: readonly [number, number];
  readonly state?: ReportStepInput['state'];
  readonly error?: string;
  readonly predictionSource?: unknown;
}

/** A shutdown step as the store holds it: predicted span in its detail, real times in its columns. */
export function shutdownStep(o: ShutdownStepOptions): ReportStepInput {
  const key = o.vm ? `host:${o.hostId}:vm:${o.vm.id}:stop` : `host:${o.hostId}:power-off`;
  return {
    key,
    hostId: o.hostId,
    hostName: o.hostName,
    action: o.vm ? 'vm-stop' : 'host-power-off',
    state: o.state ?? 'SUCCEEDED',
    attempts: 1,
    startedAt: o.ran ? at(o.ran[0]) : null,
    finishedAt: o.ran ? at(o.ran[1]) : null,
    deadlineAt: at(600),
    error: o.error ?? null,
    detail: {
      kind: o.vm ? 'vm-stop' : 'host-power-off',
      hostName: o.hostName,
      ladder: [],
      startOffsetSeconds: o.predicted[0],
      deadlineOffsetSeconds: 600,
      predictedStartSeconds: o.predicted[0],
      predictedEndSeconds: o.predicted[1],
      why: 'test',
      ...(o.vm ? { vmId: o.vm.id, vmName: o.vm.name, batch: 0 } : {}),
      ...(o.predictionSource === undefined ? {} : { predictionSource: o.predictionSource }),
    },
  };
}

export function reportInput(overrides: Partial<PlanReportInput> = {}): PlanReportInput {
  return { plan: reportPlan(), steps: [], events: [], ups: [], samples: [], now: at(200), ...overrides };
}
