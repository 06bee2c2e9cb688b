/**
 * What a plan step does, as stored in `PlanStep.action`. The worker picks a step's handler by it
 * (see the worker's step handler registry), and the orchestrator writes it: one list for both.
 */
export const SHUTDOWN_STEP_ACTIONS = ['vm-stop', 'host-power-off'] as const;
export type ShutdownStepAction = (typeof SHUTDOWN_STEP_ACTIONS)[number];

export const RESTART_STEP_ACTIONS = ['wake', 'wait-ssh', 'verify-esxi', 'power-on-vms'] as const;
export type RestartStepAction = (typeof RESTART_STEP_ACTIONS)[number];

/**
 * A restart wave's gate: a step of no host that the orchestrator's gate keeper completes when
 * `evaluateRestartGate` opens it. No worker ever runs it.
 */
export const RESTART_GATE_ACTION = 'restart-gate';
export type RestartGateAction = typeof RESTART_GATE_ACTION;

/** A rollout's per-host step (`deploy-install`, `deploy-configure`, `deploy-uninstall`). */
export const ROLLOUT_STEP_ACTIONS = ['deploy-install', 'deploy-configure', 'deploy-uninstall'] as const;
export type RolloutStepAction = (typeof ROLLOUT_STEP_ACTIONS)[number];

/**
 * A shutdown plan's last step per UPS with a power-cycle action: once every host it feeds is
 * down, the UPS cuts its output for a moment so hosts set to "power on after AC loss" boot again.
 */
export const UPS_POWER_CYCLE_ACTION = 'ups-power-cycle';
export type UpsPowerCycleAction = typeof UPS_POWER_CYCLE_ACTION;

/** Actions a worker runs through the plan step handlers. */
export type WorkerStepAction = ShutdownStepAction | RestartStepAction | UpsPowerCycleAction;
export const WORKER_STEP_ACTIONS: readonly WorkerStepAction[] = [
  ...SHUTDOWN_STEP_ACTIONS,
  ...RESTART_STEP_ACTIONS,
  UPS_POWER_CYCLE_ACTION,
];

export type PlanStepAction = WorkerStepAction | RestartGateAction | RolloutStepAction;

/** Steps another process finishes (a restart wave's gate): never queued by the advancer. */
export function isExternalStepAction(action: string | undefined): boolean {
  return action === RESTART_GATE_ACTION;
}

export function isWorkerStepAction(action: string): action is WorkerStepAction {
  return (WORKER_STEP_ACTIONS as readonly string[]).includes(action);
}

/**
 * Steps that only make sense once every step they depend on SUCCEEDED: a restart's SSH wait,
 * verification and VM power-on after its host's wake. A shutdown step, by contrast, runs once
 * its predecessors are finished OR overdue: a VM that cannot be stopped must not keep its host
 * running while the battery drains.
 */
export function requiresSucceededDependencies(action: string): boolean {
  return action === 'wait-ssh' || action === 'verify-esxi' || action === 'power-on-vms';
}
