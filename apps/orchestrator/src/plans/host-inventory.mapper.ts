import { type HostFacts, isHostFacts, type Policy } from '@nutfleet/db';
import {
  type HostInventory,
  resolveShutdownPolicy,
  type ShutdownPolicy,
  type ToolsState,
  type VmInventory,
  type VmPowerState,
} from '@nutfleet/power';

/** Policy id used for hosts that have none (upsmon-like defaults). */
export const DEFAULT_POLICY_ID = 'default';

export interface HostRecord {
  readonly id: string;
  readonly name: string;
  readonly minSupplies: number;
  readonly shutdownStage: number;
  readonly restartWave: number;
  readonly policyId: string | null;
  readonly groupPolicyId: string | null;
  /** Host.facts, whole or only `schemaVersion`, `vms` and `autostart` (all this mapper reads). */
  readonly facts: unknown;
}

/** A Host row (+ discovered facts) as the decision engine and plan builder see it. */
export function toHostInventory(host: HostRecord): HostInventory {
  const facts = isHostFacts(host.facts) ? (host.facts as PlanningFacts) : undefined;
  return {
    id: host.id,
    name: host.name,
    minSupplies: host.minSupplies,
    shutdownStage: host.shutdownStage,
    restartWave: host.restartWave,
    policyId: host.policyId ?? host.groupPolicyId ?? DEFAULT_POLICY_ID,
    // Only discovery could say it is off; a host we know nothing about is treated as on.
    powerState: 'on',
    vms: facts ? vmsOf(facts) : [],
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

/** A Policy row as a resolved `libs/power` policy (defaults for what the row does not hold). */
export function toShutdownPolicy(row: Policy): ShutdownPolicy {
  return resolveShutdownPolicy({
    id: row.id,
    name: row.name,
    triggers: {
      onLowBattery: row.onLowBattery,
      onForcedShutdown: row.onForcedShutdown,
      combination: row.triggerCombination === 'ALL' ? 'all' : 'any',
      ...(row.onBatterySeconds !== null ? { onBatterySeconds: row.onBatterySeconds } : {}),
      ...(row.runtimeBelowSeconds !== null ? { runtimeBelowSeconds: row.runtimeBelowSeconds } : {}),
      ...(row.chargeBelowPercent !== null ? { chargeBelowPercent: row.chargeBelowPercent } : {}),
    },
    commLoss: { deadtimeSeconds: row.deadtimeSeconds },
    flap: { guardSeconds: row.flapGuardSeconds },
    vm: {
      guestShutdownTimeoutSeconds: row.vmGuestShutdownTimeoutSecs,
      onTimeout: row.vmFallbackAction === 'SUSPEND' ? 'suspend' : 'power-off',
    },
    pointOfNoReturnSeconds: row.pointOfNoReturnSeconds,
  });
}

export const DEFAULT_POLICY: ShutdownPolicy = resolveShutdownPolicy({ id: DEFAULT_POLICY_ID, name: 'default' });
