import {
  gateKey,
  type NewPlanStep,
  RESTART_GATE_ACTION,
  type RestartGateStepDetail,
  type RestartStepDetail,
} from '@nutfleet/plan';
import { type RestartPlan } from '@nutfleet/power';

/**
 * PlanStep rows of a restart plan: per wave, first its gate (completed by the orchestrator when
 * `evaluateRestartGate` opens it; the worker never runs it), then per host wake → wait-ssh →
 * verify-esxi → power-on-vms. A host's wake depends on its wave's gate; the stage is the wave,
 * so a wave also waits until every step of the earlier one has finished.
 */
export function restartStepRows(plan: RestartPlan): NewPlanStep[] {
  const rows: NewPlanStep[] = [];
  for (const wave of plan.waves) {
    const gate: RestartGateStepDetail = {
      kind: RESTART_GATE_ACTION,
      wave: wave.wave,
      hostCount: wave.hostIds.length,
      upsIds: [...wave.upsIds],
    };
    rows.push({
      key: gateKey(wave.wave),
      hostId: null,
      action: RESTART_GATE_ACTION,
      stage: wave.wave,
      sequence: rows.length,
      dependsOn: [],
      deadlineAt: null,
      detail: gate,
    });
    for (const step of plan.steps.filter((s) => s.wave === wave.wave)) {
      const detail: RestartStepDetail = {
        kind: step.kind,
        hostName: step.hostName,
        wave: step.wave,
        timeoutSeconds: step.timeoutSeconds,
        hostTimeoutSeconds: plan.hostTimeoutSeconds,
        ...(step.vmIds !== undefined ? { vmIds: [...step.vmIds] } : {}),
      };
      rows.push({
        key: step.key,
        hostId: step.hostId,
        action: step.kind,
        stage: step.wave,
        sequence: rows.length,
        dependsOn: step.kind === 'wake' ? [gateKey(wave.wave)] : [...step.dependsOn],
        deadlineAt: null,
        detail,
      });
    }
  }
  return rows;
}
