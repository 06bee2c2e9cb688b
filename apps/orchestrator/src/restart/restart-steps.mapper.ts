import { type Prisma } from '@nutfleet/db';
import { type RestartPlan } from '@nutfleet/power';

import { GATE_ACTION, gateKey } from './restart-plan.detail';

/**
 * PlanStep rows of a restart plan: per wave, first its gate (completed by the orchestrator when
 * `evaluateRestartGate` opens it; the worker never runs it), then per host wake → wait-ssh →
 * verify-esxi → power-on-vms. A host's wake depends on its wave's gate; the stage is the wave,
 * so a wave also waits until every step of the earlier one has finished.
 */
export function restartStepRows(plan: RestartPlan): Prisma.PlanStepCreateManyPlanInput[] {
  const rows: Prisma.PlanStepCreateManyPlanInput[] = [];
  for (const wave of plan.waves) {
    rows.push({
      key: gateKey(wave.wave),
      hostId: null,
      action: GATE_ACTION,
      stage: wave.wave,
      sequence: rows.length,
      dependsOn: [],
      detail: { kind: GATE_ACTION, wave: wave.wave, hostCount: wave.hostIds.length, upsIds: [...wave.upsIds] },
    });
    for (const step of plan.steps.filter((s) => s.wave === wave.wave)) {
      rows.push({
        key: step.key,
        hostId: step.hostId,
        action: step.kind,
        stage: step.wave,
        sequence: rows.length,
        dependsOn: step.kind === 'wake' ? [gateKey(wave.wave)] : [...step.dependsOn],
        detail: {
          kind: step.kind,
          hostName: step.hostName,
          wave: step.wave,
          timeoutSeconds: step.timeoutSeconds,
          hostTimeoutSeconds: plan.hostTimeoutSeconds,
          ...(step.vmIds !== undefined ? { vmIds: [...step.vmIds] } : {}),
        },
      });
    }
  }
  return rows;
}
