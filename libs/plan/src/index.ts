/**
 * @nutfleet/plan — the plan contract shared by the orchestrator (which writes plans) and the
 * worker (which runs their steps): step actions and details, the step state machine, pure
 * scheduling helpers, and the one store of every statement on Plan and PlanStep.
 */
export * from './step-state';
export * from './step-actions';
export * from './plan-kinds';
export * from './detail-reader';
export * from './shutdown-step.detail';
export * from './restart-step.detail';
export * from './ups-power-cycle-step.detail';
export * from './plan-detail';
export * from './runnable-steps';
export * from './plan-step-names';
export * from './store/plan-database';
export * from './store/step-execution.store';
export * from './store/plan-writes.store';
export * from './store/plan-reads.store';
export * from './store/rollout-plan.store';
export * from './store/plan.store';
export * from './store/outage.store';
export * from './store/host-power.store';
export * from './store/pending-steps.store';
export * from './host-power-state';
export * from './drill';
export * from './report/plan-report.types';
export * from './report/failure-advice';
export * from './report/battery-usage';
export * from './report/plan-report.builder';
export * from './report/html-text';
export * from './report/plan-report.html';
export * from './report/plan-report-links';
