/**
 * @nutfleet/power — pure decision logic for outages: no I/O, no clock (callers pass `now`),
 * no dependencies. See ../README.md for the semantics.
 */

// Errors and time
export { PowerInputError } from './power-input.error';
export { type EpochMs, addSeconds, secondsBetween, formatInstant, formatSeconds } from './time';

// Inputs
export {
  type UpsId,
  type UpsObservation,
  type UpsReading,
  type UpsCommLost,
  type UpsHistory,
  /** Splits a raw `ups.status` value into tokens. */
  parseUpsStatus,
  hasToken,
  isOnBattery,
  isCleanlyOnLine,
  isOff,
  isCalibrating,
  isOnBatteryStatus,
} from './ups-observation';
export {
  type PowerFeed,
  type HostInventory,
  type VmInventory,
  type VmOverride,
  type VmPowerState,
  type VmShutdownAction,
  type ToolsState,
} from './fleet-inventory';
export {
  type ShutdownPolicy,
  type ShutdownPolicyInput,
  type ShutdownTriggers,
  type TriggerCombination,
  type CommLossRules,
  type FlapProtection,
  type CalibrationRules,
  type OffRules,
  type VmHandling,
  type VmFallbackAction,
  DEFAULT_TRIGGERS,
  DEFAULT_COMM_LOSS,
  DEFAULT_FLAP,
  DEFAULT_CALIBRATION,
  DEFAULT_OFF,
  DEFAULT_VM_HANDLING,
  DEFAULT_HOST_POWER_OFF_TIMEOUT_SECONDS,
  DEFAULT_POINT_OF_NO_RETURN_SECONDS,
  DEFAULT_POWER_BACK_CONFIRM_SECONDS,
  /** Fills policy defaults and validates; throws PowerInputError naming the field. */
  resolveShutdownPolicy,
  /** Replaces some settings of a policy, section by section. */
  mergePolicyInput,
} from './shutdown-policy';

// Decisions
export { type Reason, type ReasonCode } from './decision-reason';
export { type UpsTimelineFacts, /** What a UPS history says at one instant. */ readUpsTimeline } from './ups-timeline';
export {
  type SupplyAssessment,
  /** Is one UPS still a healthy supply under a policy? */ evaluateSupply,
} from './shutdown-trigger.evaluator';
export {
  type SupplyInput,
  type SupplyRedundancy,
  /** NUT MINSUPPLIES with power values. */ computeSupplyRedundancy,
} from './supply-redundancy';
export {
  type HostDecision,
  type HostDecisionInput,
  type HostSupply,
  /** Must this host go down now, and why. */ decideHost,
} from './host-decision.evaluator';
export {
  type FleetDecision,
  type FleetDecisionInput,
  /** `decideHost` over a fleet; bad hosts are reported, not fatal. */ decideFleet,
} from './fleet-decision.evaluator';
export {
  type PowerReturnInput,
  type PowerReturnDecision,
  /** Power back before or after the point of no return: cancel pending steps or complete. */
  evaluatePowerReturn,
} from './point-of-no-return';

// Shutdown plans
export {
  type VmActionRung,
  type VmShutdownEntry,
  type VmShutdownBatch,
  /** Per-host VM shutdown batches and escalation ladders. */ orderVmShutdown,
} from './vm-shutdown-order';
export {
  type HostBatteryRuntime,
  /** How long a host survives on its batteries, given minSupplies. */ computeHostBatteryRuntime,
} from './host-battery-runtime';
export {
  HOST_POWER_OFF_METHOD,
  type ShutdownPlan,
  type ShutdownPlanStep,
  type ShutdownPlanStage,
  type ShutdownStepKind,
  type HostRuntimeCheck,
  type PlanWarning,
  type PlanWarningCode,
  PLAN_WARNING_CODES,
  type HostProtectionWarningCode,
  HOST_PROTECTION_WARNING_CODES,
  PREVIEW_WARNING_CODES,
} from './shutdown-plan.types';
export {
  type FallbackClientState,
  type HostProtectionFacts,
  type HostProtectionContext,
  type HostProtectionWarning,
  /** What keeps nutfleet from protecting one host now, each warning saying what to do. */
  assessHostProtection,
} from './host-protection';
export {
  type ShutdownPlanInput,
  /** Stages, VM batches, host power-off, deadlines, battery warnings. */ buildShutdownPlan,
  /** Each UPS's charge and runtime as decisions use them. */ latestBatteries,
} from './shutdown-plan.builder';

// Restart plans
export { restartWakeWarnings } from './restart-wake.warnings';
export { type RestartPlan, type RestartPlanStep, type RestartStepKind, type RestartWave } from './restart-plan.types';
export {
  type RestartHostInput,
  type RestartPlanInput,
  /** Waves of wake / SSH / verify / VM power-on steps. */ buildRestartPlan,
} from './restart-plan.builder';
export {
  type RestartGateInput,
  type RestartGatePolicy,
  type RestartGateResult,
  type RestartGateCheck,
  type RestartGateName,
  type RestartHostProgress,
  type RestartHostState,
  type LastShutdownMeasurement,
  /** May this wave start now? Open/closed with reasons and a re-check instant. */
  evaluateRestartGate,
} from './restart-gate.evaluator';

// Monitor semantics (the live power monitor and the replay share them)
export * from './monitor/poll-outcome';
export * from './monitor/ups-poll.detector';
export * from './monitor/poll-interval';
export * from './monitor/ups-history.builder';

// Battery figures: sentinels, plausibility, runtime from the observed discharge
export * from './battery-readings';
export * from './monitor/ups-row-write.policy';
export * from './monitor/ups-sample';
export * from './monitor/ups-sample.downsample';

// Outages and replay
export * from './outage/outage-lifecycle';
export * from './outage/power-back-confirm';
export * from './replay/replay-input';
export * from './replay/replay.engine';

// Fleet readiness: the checks' judgement, scores, alert threshold crossings
export * from './readiness';

// UPS power cycle once the fleet is down
export * from './power-cycle';
export * from './prediction-source';
export * from './measured-durations';
