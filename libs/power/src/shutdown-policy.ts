import { PowerInputError } from './power-input.error';

/** How the threshold triggers (time on battery, runtime, charge) combine. */
export type TriggerCombination = 'any' | 'all';

/** What happens to a VM when its guest shutdown cannot run or does not finish in time. */
export type VmFallbackAction = 'suspend' | 'power-off';

export interface ShutdownTriggers {
  /** OB+LB from the UPS. Default true. Always combined with "any": LB is the UPS saying it is about to die. */
  readonly onLowBattery: boolean;
  /** FSD (set by upsd or the UPS). Default true. Always combined with "any". */
  readonly onForcedShutdown: boolean;
  /** Seconds on battery after which the supply counts as critical. */
  readonly onBatterySeconds?: number;
  /** Critical when `battery.runtime` ≤ this many seconds while on battery. */
  readonly runtimeBelowSeconds?: number;
  /** Critical when `battery.charge` ≤ this % while on battery. */
  readonly chargeBelowPercent?: number;
  /** How the three thresholds above combine. Default "any". */
  readonly combination: TriggerCombination;
  /** Like upsmon's OBLBDURATION: OB+LB must last this long before it counts. Default 0. */
  readonly lowBatteryConfirmSeconds: number;
}

export interface CommLossRules {
  /** upsmon DEADTIME: how long a UPS last seen on battery may stay silent before it is critical. Default 15. */
  readonly deadtimeSeconds: number;
}

export interface FlapProtection {
  /** An on-battery episode shorter than this is a blip: threshold triggers ignore it. Default 5. */
  readonly guardSeconds: number;
  /** This many OL→OB onsets inside `windowSeconds` make the UPS "flapping". Default 3. */
  readonly maxOnsets: number;
  /** Sliding window for counting onsets. Default 600. */
  readonly windowSeconds: number;
}

export interface VmHandling {
  /** Wait for a guest OS shutdown (Tools running) this long before escalating. Default 120. */
  readonly guestShutdownTimeoutSeconds: number;
  /** After a guest shutdown times out. Default power-off. */
  readonly onTimeout: VmFallbackAction;
  /** When Tools do not run, a guest shutdown is impossible. Default suspend (keeps the guest's memory). */
  readonly withoutTools: VmFallbackAction;
  /** Wait for a suspend before escalating to power-off. Default 120. */
  readonly suspendTimeoutSeconds: number;
  /** Wait for a hard power-off to be confirmed. Default 30. */
  readonly powerOffTimeoutSeconds: number;
}

export interface ShutdownPolicy {
  readonly id: string;
  readonly name: string;
  readonly triggers: ShutdownTriggers;
  readonly commLoss: CommLossRules;
  readonly flap: FlapProtection;
  readonly vm: VmHandling;
  /** How long the host's own `poweroff` may take until the host is considered down. Default 180. */
  readonly hostPowerOffTimeoutSeconds: number;
  /** Seconds after a plan starts after which power coming back no longer cancels it. Default 60. */
  readonly pointOfNoReturnSeconds: number;
  /** Power must stay back this long before pending steps are cancelled. Default 10. */
  readonly powerBackConfirmSeconds: number;
}

/** Any part left out takes the default documented on the field. */
export interface ShutdownPolicyInput {
  readonly id: string;
  readonly name?: string;
  readonly triggers?: Partial<ShutdownTriggers>;
  readonly commLoss?: Partial<CommLossRules>;
  readonly flap?: Partial<FlapProtection>;
  readonly vm?: Partial<VmHandling>;
  readonly hostPowerOffTimeoutSeconds?: number;
  readonly pointOfNoReturnSeconds?: number;
  readonly powerBackConfirmSeconds?: number;
}

export const DEFAULT_TRIGGERS: ShutdownTriggers = {
  onLowBattery: true,
  onForcedShutdown: true,
  combination: 'any',
  lowBatteryConfirmSeconds: 0,
};
export const DEFAULT_COMM_LOSS: CommLossRules = { deadtimeSeconds: 15 };
export const DEFAULT_FLAP: FlapProtection = { guardSeconds: 5, maxOnsets: 3, windowSeconds: 600 };
export const DEFAULT_VM_HANDLING: VmHandling = {
  guestShutdownTimeoutSeconds: 120,
  onTimeout: 'power-off',
  withoutTools: 'suspend',
  suspendTimeoutSeconds: 120,
  powerOffTimeoutSeconds: 30,
};

/** Fills defaults and validates, so the evaluators never see a half-formed policy. */
export function resolveShutdownPolicy(input: ShutdownPolicyInput): ShutdownPolicy {
  const policy: ShutdownPolicy = {
    id: input.id,
    name: input.name ?? input.id,
    triggers: { ...DEFAULT_TRIGGERS, ...input.triggers },
    commLoss: { ...DEFAULT_COMM_LOSS, ...input.commLoss },
    flap: { ...DEFAULT_FLAP, ...input.flap },
    vm: { ...DEFAULT_VM_HANDLING, ...input.vm },
    hostPowerOffTimeoutSeconds: input.hostPowerOffTimeoutSeconds ?? 180,
    pointOfNoReturnSeconds: input.pointOfNoReturnSeconds ?? 60,
    powerBackConfirmSeconds: input.powerBackConfirmSeconds ?? 10,
  };
  const where = `policies[${input.id}]`;
  const nonNegative: Array<[string, number | undefined]> = [
    ['triggers.onBatterySeconds', policy.triggers.onBatterySeconds],
    ['triggers.runtimeBelowSeconds', policy.triggers.runtimeBelowSeconds],
    ['triggers.lowBatteryConfirmSeconds', policy.triggers.lowBatteryConfirmSeconds],
    ['commLoss.deadtimeSeconds', policy.commLoss.deadtimeSeconds],
    ['flap.guardSeconds', policy.flap.guardSeconds],
    ['flap.windowSeconds', policy.flap.windowSeconds],
    ['vm.guestShutdownTimeoutSeconds', policy.vm.guestShutdownTimeoutSeconds],
    ['vm.suspendTimeoutSeconds', policy.vm.suspendTimeoutSeconds],
    ['vm.powerOffTimeoutSeconds', policy.vm.powerOffTimeoutSeconds],
    ['hostPowerOffTimeoutSeconds', policy.hostPowerOffTimeoutSeconds],
    ['pointOfNoReturnSeconds', policy.pointOfNoReturnSeconds],
    ['powerBackConfirmSeconds', policy.powerBackConfirmSeconds],
  ];
  for (const [field, value] of nonNegative) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new PowerInputError(`${where}.${field}`, `must be a number ≥ 0, got ${String(value)}`);
    }
  }
  const charge = policy.triggers.chargeBelowPercent;
  if (charge !== undefined && !(Number.isFinite(charge) && charge >= 0 && charge <= 100)) {
    throw new PowerInputError(
      `${where}.triggers.chargeBelowPercent`,
      `must be between 0 and 100, got ${String(charge)}`,
    );
  }
  if (!(Number.isInteger(policy.flap.maxOnsets) && policy.flap.maxOnsets >= 2)) {
    throw new PowerInputError(
      `${where}.flap.maxOnsets`,
      `must be an integer ≥ 2, got ${String(policy.flap.maxOnsets)}`,
    );
  }
  return policy;
}
