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
  /** Seconds of the current on-battery episode after which the supply counts as critical. */
  readonly onBatterySeconds?: number;
  /** Critical when the usable runtime (reported if plausible, else predicted) ≤ this many seconds on battery. */
  readonly runtimeBelowSeconds?: number;
  /** Critical when a plausible `battery.charge` ≤ this % while on battery. */
  readonly chargeBelowPercent?: number;
  /** How the three thresholds above combine. Default "any". */
  readonly combination: TriggerCombination;
  /** Like upsmon's OBLBDURATION: OB+LB must last this long before it counts. Default 0. */
  readonly lowBatteryConfirmSeconds: number;
}

export interface CommLossRules {
  /**
   * upsmon's DEADTIME: a UPS last seen on battery (or OFF) that gives no good poll for this long
   * counts as critical, counted from its last good poll. Default 15.
   */
  readonly deadtimeSeconds: number;
}

export interface FlapProtection {
  /** An on-battery episode shorter than this is a blip: it starts no threshold trigger. Default 5. */
  readonly guardSeconds: number;
  /**
   * This many OL→OB onsets inside `windowSeconds` make the UPS "flapping": reported, and its charge
   * and runtime thresholds apply even to short episodes (a battery drained by blips is caught).
   * Flapping alone never makes a supply critical. Default 3.
   */
  readonly maxOnsets: number;
  /** Sliding window for counting onsets and the on-battery budget. Default 600. */
  readonly windowSeconds: number;
  /** Optional: seconds on battery summed over the window (all episodes) that make the supply critical. */
  readonly onBatteryBudgetSeconds?: number;
}

export interface CalibrationRules {
  /** A calibrating UPS at or below this charge is critical after all. Default 5. */
  readonly emergencyChargePercent: number;
  /** A calibrating UPS at or below this runtime is critical after all. Default 60. */
  readonly emergencyRuntimeSeconds: number;
  /** A calibration lasting longer than this is not believed any more (stuck CAL). Default 3600. */
  readonly maxSeconds: number;
  /** A calibrating UPS that reports no input voltage is in a real outage: its CAL excuses nothing. Default true. */
  readonly noInputVoltageEndsExcuse: boolean;
}

export interface OffRules {
  /**
   * upsmon's OFFDURATION: a UPS showing OFF (not feeding its load) for this long stops counting as
   * a healthy supply; undefined = never (upsmon's -1). Default 30.
   */
  readonly offDurationSeconds?: number;
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
  readonly calibration: CalibrationRules;
  readonly off: OffRules;
  readonly vm: VmHandling;
  /** How long the host's own `poweroff` may take until the host is considered down. Default 180. */
  readonly hostPowerOffTimeoutSeconds: number;
  /** Seconds after a plan starts after which power coming back no longer cancels it. Default 60. */
  readonly pointOfNoReturnSeconds: number;
  /** Power must stay back this long before pending steps are cancelled and the outage ends. Default 10. */
  readonly powerBackConfirmSeconds: number;
}

/** Any part left out takes the default documented on the field. */
export interface ShutdownPolicyInput {
  readonly id: string;
  readonly name?: string;
  readonly triggers?: Partial<ShutdownTriggers>;
  readonly commLoss?: Partial<CommLossRules>;
  readonly flap?: Partial<FlapProtection>;
  readonly calibration?: Partial<CalibrationRules>;
  /** `{ offDurationSeconds: undefined }` explicitly means never. */
  readonly off?: OffRules;
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
export const DEFAULT_CALIBRATION: CalibrationRules = {
  emergencyChargePercent: 5,
  emergencyRuntimeSeconds: 60,
  maxSeconds: 3600,
  noInputVoltageEndsExcuse: true,
};
export const DEFAULT_OFF: OffRules = { offDurationSeconds: 30 };
export const DEFAULT_VM_HANDLING: VmHandling = {
  guestShutdownTimeoutSeconds: 120,
  onTimeout: 'power-off',
  withoutTools: 'suspend',
  suspendTimeoutSeconds: 120,
  powerOffTimeoutSeconds: 30,
};
export const DEFAULT_HOST_POWER_OFF_TIMEOUT_SECONDS = 180;
export const DEFAULT_POINT_OF_NO_RETURN_SECONDS = 60;
export const DEFAULT_POWER_BACK_CONFIRM_SECONDS = 10;

/** A policy with some settings replaced (what-if replays): each section merged, not swapped whole. */
export function mergePolicyInput(
  base: ShutdownPolicyInput,
  override: Omit<ShutdownPolicyInput, 'id'> | undefined,
): ShutdownPolicyInput {
  if (override === undefined) return base;
  return {
    ...base,
    ...override,
    id: base.id,
    triggers: { ...base.triggers, ...override.triggers },
    commLoss: { ...base.commLoss, ...override.commLoss },
    flap: { ...base.flap, ...override.flap },
    calibration: { ...base.calibration, ...override.calibration },
    off: override.off ?? base.off ?? DEFAULT_OFF,
    vm: { ...base.vm, ...override.vm },
  };
}

/** Fills defaults and validates, so the evaluators never see a half-formed policy. */
export function resolveShutdownPolicy(input: ShutdownPolicyInput): ShutdownPolicy {
  const policy: ShutdownPolicy = {
    id: input.id,
    name: input.name ?? input.id,
    triggers: { ...DEFAULT_TRIGGERS, ...input.triggers },
    commLoss: { ...DEFAULT_COMM_LOSS, ...input.commLoss },
    flap: { ...DEFAULT_FLAP, ...input.flap },
    calibration: { ...DEFAULT_CALIBRATION, ...input.calibration },
    off: input.off ?? DEFAULT_OFF,
    vm: { ...DEFAULT_VM_HANDLING, ...input.vm },
    hostPowerOffTimeoutSeconds: input.hostPowerOffTimeoutSeconds ?? DEFAULT_HOST_POWER_OFF_TIMEOUT_SECONDS,
    pointOfNoReturnSeconds: input.pointOfNoReturnSeconds ?? DEFAULT_POINT_OF_NO_RETURN_SECONDS,
    powerBackConfirmSeconds: input.powerBackConfirmSeconds ?? DEFAULT_POWER_BACK_CONFIRM_SECONDS,
  };
  const where = `policies[${input.id}]`;
  const nonNegative: Array<[string, number | undefined]> = [
    ['triggers.onBatterySeconds', policy.triggers.onBatterySeconds],
    ['triggers.runtimeBelowSeconds', policy.triggers.runtimeBelowSeconds],
    ['triggers.lowBatteryConfirmSeconds', policy.triggers.lowBatteryConfirmSeconds],
    ['commLoss.deadtimeSeconds', policy.commLoss.deadtimeSeconds],
    ['flap.guardSeconds', policy.flap.guardSeconds],
    ['flap.windowSeconds', policy.flap.windowSeconds],
    ['flap.onBatteryBudgetSeconds', policy.flap.onBatteryBudgetSeconds],
    ['calibration.emergencyRuntimeSeconds', policy.calibration.emergencyRuntimeSeconds],
    ['calibration.maxSeconds', policy.calibration.maxSeconds],
    ['off.offDurationSeconds', policy.off.offDurationSeconds],
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
  const percents: Array<[string, number | undefined]> = [
    ['triggers.chargeBelowPercent', policy.triggers.chargeBelowPercent],
    ['calibration.emergencyChargePercent', policy.calibration.emergencyChargePercent],
  ];
  for (const [field, value] of percents) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 100)) {
      throw new PowerInputError(`${where}.${field}`, `must be between 0 and 100, got ${String(value)}`);
    }
  }
  if (!(Number.isInteger(policy.flap.maxOnsets) && policy.flap.maxOnsets >= 2)) {
    throw new PowerInputError(
      `${where}.flap.maxOnsets`,
      `must be an integer ≥ 2, got ${String(policy.flap.maxOnsets)}`,
    );
  }
  if (
    policy.flap.onBatteryBudgetSeconds !== undefined &&
    policy.flap.onBatteryBudgetSeconds > policy.flap.windowSeconds
  ) {
    throw new PowerInputError(
      `${where}.flap.onBatteryBudgetSeconds`,
      `cannot exceed the window (${policy.flap.windowSeconds} s), got ${policy.flap.onBatteryBudgetSeconds}`,
    );
  }
  return policy;
}
