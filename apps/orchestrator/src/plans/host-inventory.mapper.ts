import { type HostFacts, isHostFacts, type Policy } from '@nutfleet/db';
import {
  type HostInventory,
  resolveShutdownPolicy,
  type ShutdownPolicy,
  type ToolsState,
  type VmInventory,
  type VmPowerState,
} from '@nutfleet/power';

export interface HostRecord {
  readonly id: string;
  readonly name: string;
  readonly minSupplies: number;
  readonly shutdownStage: number;
  readonly restartWave: number;
  readonly policyId: string | null;
  readonly groupPolicyId: string | null;
  readonly powerState: 'ON' | 'OFF' | 'UNREACHABLE' | 'UNKNOWN';
  /** Host.facts, whole or only `schemaVersion`, `vms`, `autostart` and `reads.vms` (all this mapper reads). */
  readonly facts: unknown;
}

/**
 * A Host row (+ discovered facts) as the decision engine and plan builder see it. A host without
 * a policy of its own or of its group follows the default policy row.
 */
export function toHostInventory(host: HostRecord, defaultPolicyId: string): HostInventory {
  const facts = isHostFacts(host.facts) ? (host.facts as PlanningFacts) : undefined;
  // Only the VM read's status is loaded of `reads` (the snapshot's SQL); older documents had none.
  const vmsRead = (facts as { reads?: Partial<HostFacts['reads']> } | undefined)?.reads?.vms;
  return {
    id: host.id,
    name: host.name,
    minSupplies: host.minSupplies,
    shutdownStage: host.shutdownStage,
    restartWave: host.restartWave,
    policyId: host.policyId ?? host.groupPolicyId ?? defaultPolicyId,
    // Only what nutfleet established counts as off (a verified power-off, a wake with no answer);
    // a host it cannot reach or never reached is planned like a running one.
    powerState: host.powerState === 'OFF' ? 'off' : host.powerState === 'ON' ? 'on' : 'unknown',
    vms: facts ? vmsOf(facts) : [],
    ...(vmsRead?.state === 'failed' ? { vmsUnknown: `${vmsRead.error.code}: ${vmsRead.error.message}` } : {}),
    ...(facts ? { autostartEnabled: facts.autostart.defaults.enabled } : {}),
  };
}

type PlanningFacts = Pick<HostFacts, 'schemaVersion' | 'vms' | 'autostart'>;

function vmsOf(facts: PlanningFacts): VmInventory[] {
  const order = new Map(facts.autostart.sequence.map((e) => [e.vmId, e.startOrder]));
  return facts.vms.map((vm) => {
    const startOrder = order.get(vm.id);
    return {
      id: String(vm.id),
      name: vm.name,
      powerState: POWER[vm.powerState],
      toolsState: TOOLS[vm.tools],
      ...(startOrder !== undefined && startOrder > 0 ? { autostartOrder: startOrder } : {}),
    };
  });
}

const POWER: Record<HostFacts['vms'][number]['powerState'], VmPowerState> = {
  poweredOn: 'on',
  poweredOff: 'off',
  suspended: 'suspended',
};
const TOOLS: Record<HostFacts['vms'][number]['tools'], ToolsState> = {
  running: 'running',
  notRunning: 'not-running',
  notInstalled: 'not-installed',
  unknown: 'unknown',
};

const fallback = (action: Policy['vmFallbackAction']): 'suspend' | 'power-off' =>
  action === 'SUSPEND' ? 'suspend' : 'power-off';

/** A Policy row as a resolved `libs/power` policy: every decision setting the row holds. */
export function toShutdownPolicy(row: Policy): ShutdownPolicy {
  return resolveShutdownPolicy({
    id: row.id,
    name: row.name,
    triggers: {
      onLowBattery: row.onLowBattery,
      onForcedShutdown: row.onForcedShutdown,
      combination: row.triggerCombination === 'ALL' ? 'all' : 'any',
      lowBatteryConfirmSeconds: row.lowBatteryConfirmSeconds,
      ...(row.onBatterySeconds !== null ? { onBatterySeconds: row.onBatterySeconds } : {}),
      ...(row.runtimeBelowSeconds !== null ? { runtimeBelowSeconds: row.runtimeBelowSeconds } : {}),
      ...(row.chargeBelowPercent !== null ? { chargeBelowPercent: row.chargeBelowPercent } : {}),
    },
    commLoss: { deadtimeSeconds: row.deadtimeSeconds },
    flap: {
      guardSeconds: row.flapGuardSeconds,
      maxOnsets: row.flapMaxOnsets,
      windowSeconds: row.flapWindowSeconds,
      ...(row.flapOnBatteryBudgetSeconds !== null ? { onBatteryBudgetSeconds: row.flapOnBatteryBudgetSeconds } : {}),
    },
    calibration: {
      emergencyChargePercent: row.calibrationEmergencyChargePercent,
      emergencyRuntimeSeconds: row.calibrationEmergencyRuntimeSeconds,
      maxSeconds: row.calibrationMaxSeconds,
      noInputVoltageEndsExcuse: row.calibrationNoInputEndsExcuse,
    },
    off: row.offDurationSeconds === null ? {} : { offDurationSeconds: row.offDurationSeconds },
    vm: {
      guestShutdownTimeoutSeconds: row.vmGuestShutdownTimeoutSecs,
      onTimeout: fallback(row.vmFallbackAction),
      withoutTools: fallback(row.vmWithoutToolsAction),
      suspendTimeoutSeconds: row.vmSuspendTimeoutSecs,
      powerOffTimeoutSeconds: row.vmPowerOffTimeoutSecs,
    },
    hostPowerOffTimeoutSeconds: row.hostPowerOffTimeoutSecs,
    pointOfNoReturnSeconds: row.pointOfNoReturnSeconds,
    powerBackConfirmSeconds: row.powerBackConfirmSeconds,
  });
}
