import { type Policy, TriggerCombination, VmFallbackAction } from '@nutfleet/db';

const DAY = 86_400;
/**
 * The planner keeps 6 h of power events for its decisions: onsets older than that are not seen,
 * so a longer flap window (or budget) would silently count less than it says.
 */
const FLAP_WINDOW_MAX = 6 * 3600;

interface SettingBase {
  /** What the engine does with it, in plain words (the OpenAPI description). */
  readonly description: string;
  /**
   * Where `resolveShutdownPolicy` (libs/power) reports this setting in a PowerInputError,
   * relative to the policy (e.g. `flap.windowSeconds`); absent for settings the restart gates read.
   */
  readonly engine?: string;
}

export interface IntSetting extends SettingBase {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  /** null: the setting is off (no such threshold, never...) and may be set to null. */
  readonly default: number | null;
  readonly nullable: boolean;
}

export interface BoolSetting extends SettingBase {
  readonly kind: 'bool';
  readonly default: boolean;
}

export interface EnumSetting extends SettingBase {
  readonly kind: 'enum';
  readonly values: Readonly<Record<string, string>>;
  readonly default: string;
}

export type PolicySetting = IntSetting | BoolSetting | EnumSetting;

/** Every decision setting of a Policy row: the columns besides identity, name and the default flag. */
export type PolicySettingField = Exclude<
  keyof Policy,
  'id' | 'name' | 'description' | 'isDefault' | 'createdAt' | 'updatedAt'
>;

const int = (
  min: number,
  max: number,
  def: number | null,
  description: string,
  engine?: string,
  nullable = def === null,
): IntSetting => ({ kind: 'int', min, max, default: def, nullable, description, ...(engine ? { engine } : {}) });

/**
 * Each setting once: its range, its default (the Prisma column default, which the engine's own
 * defaults in libs/power match), what the engine does with it, and its name in the engine. The
 * DTOs, the OpenAPI document and the mapping of engine errors to API fields all read this table;
 * the type makes a new Policy column fail to compile until it is described here.
 */
export const POLICY_SETTINGS: Readonly<Record<PolicySettingField, PolicySetting>> = {
  triggerCombination: {
    kind: 'enum',
    values: TriggerCombination,
    default: TriggerCombination.ANY,
    description:
      'How the three thresholds (onBatterySeconds, runtimeBelowSeconds, chargeBelowPercent) combine: ANY one met makes ' +
      'the UPS critical, or only ALL of those that are set. LB and FSD always count on their own.',
  },
  onLowBattery: {
    kind: 'bool',
    default: true,
    description:
      'The UPS on battery with LB (low battery) is critical, after lowBatteryConfirmSeconds, unless a believable ' +
      'calibration excuses it. LB while on line power is ignored.',
  },
  onForcedShutdown: {
    kind: 'bool',
    default: true,
    description: 'FSD (forced shutdown, set by upsd or the UPS) makes the UPS critical at once.',
  },
  onBatterySeconds: int(
    0,
    DAY,
    null,
    'Time threshold: the UPS is critical once its current on-battery episode has lasted this many seconds. Any return ' +
      'to line power resets the timer (upssched cancels its timer on ONLINE). null: no time threshold.',
    'triggers.onBatterySeconds',
  ),
  runtimeBelowSeconds: int(
    0,
    DAY,
    null,
    'Runtime threshold: on battery, the UPS is critical when its usable runtime (battery.runtime when plausible, else ' +
      'predicted from the observed discharge) is at or below this many seconds. An unknown or placeholder runtime ' +
      '(-1, 65535, 0 with charge left) never meets it. null: no runtime threshold.',
    'triggers.runtimeBelowSeconds',
  ),
  chargeBelowPercent: int(
    0,
    100,
    null,
    'Charge threshold: on battery, the UPS is critical when a plausible battery.charge is at or below this percent. ' +
      'A charge outside 0–100 is unknown and never meets it. null: no charge threshold.',
    'triggers.chargeBelowPercent',
  ),
  lowBatteryConfirmSeconds: int(
    0,
    3600,
    0,
    "upsmon's OBLBDURATION: OB+LB must last this many seconds before it counts. 0: at once.",
    'triggers.lowBatteryConfirmSeconds',
  ),
  deadtimeSeconds: int(
    1,
    3600,
    15,
    "upsmon's DEADTIME: a UPS last seen on battery (or OFF) that gives no good poll for this many seconds, counted " +
      'from its last good poll, is critical. A lost connection to a UPS last seen on line power never is.',
    'commLoss.deadtimeSeconds',
  ),
  flapGuardSeconds: int(
    0,
    3600,
    5,
    'An on-battery episode shorter than this is a blip: the time, runtime and charge thresholds ignore it (LB and FSD ' +
      'do not).',
    'flap.guardSeconds',
  ),
  flapMaxOnsets: int(
    2,
    1000,
    3,
    'This many OL→OB onsets within flapWindowSeconds make the UPS flapping: reported, and its charge and runtime ' +
      'thresholds are checked on every episode however short. Flapping alone never makes a UPS critical, and each ' +
      'return to line power still resets the time on battery. At least 2.',
    'flap.maxOnsets',
  ),
  flapWindowSeconds: int(
    1,
    FLAP_WINDOW_MAX,
    600,
    'Sliding window over which onsets are counted (flapMaxOnsets) and time on battery is summed ' +
      '(flapOnBatteryBudgetSeconds). At most 6 h, the power history the planner keeps.',
    'flap.windowSeconds',
  ),
  flapOnBatteryBudgetSeconds: int(
    1,
    FLAP_WINDOW_MAX,
    null,
    'Optional budget: seconds on battery summed over flapWindowSeconds (every episode, however short) that make the ' +
      'UPS critical, so a battery drained by repeated short outages is caught. Not above flapWindowSeconds. ' +
      'null: no budget.',
    'flap.onBatteryBudgetSeconds',
  ),
  calibrationEmergencyChargePercent: int(
    0,
    100,
    5,
    'A calibrating UPS (CAL) has LB and the thresholds suspended, as in upsmon, except at or below this charge: then ' +
      'it is critical after all.',
    'calibration.emergencyChargePercent',
  ),
  calibrationEmergencyRuntimeSeconds: int(
    0,
    DAY,
    60,
    'A calibrating UPS at or below this runtime (seconds) is critical after all.',
    'calibration.emergencyRuntimeSeconds',
  ),
  calibrationMaxSeconds: int(
    0,
    DAY,
    3600,
    'A CAL flag shown longer than this many seconds is no longer believed (a stuck calibration): LB and the ' +
      'thresholds apply again.',
    'calibration.maxSeconds',
  ),
  calibrationNoInputEndsExcuse: {
    kind: 'bool',
    default: true,
    description:
      'A calibrating UPS that reports no input voltage (under 20 V) is in a real outage: its CAL excuses nothing.',
  },
  offDurationSeconds: int(
    0,
    DAY,
    30,
    "upsmon's OFFDURATION: a UPS showing OFF (not feeding its load) for this many seconds stops counting as a " +
      "healthy supply. null: never (upsmon's OFFDURATION -1). OB OFF is never an immediate shutdown by itself.",
    'off.offDurationSeconds',
    true,
  ),
  vmGuestShutdownTimeoutSecs: int(
    0,
    7200,
    120,
    'A VM whose VMware Tools run (or whose Tools state is unknown) gets a guest OS shutdown; after this many seconds ' +
      'it escalates to vmFallbackAction.',
    'vm.guestShutdownTimeoutSeconds',
  ),
  vmFallbackAction: {
    kind: 'enum',
    values: VmFallbackAction,
    default: VmFallbackAction.POWER_OFF,
    description:
      'After a guest shutdown times out: POWER_OFF, or SUSPEND (powered off if the suspend does not finish within ' +
      'vmSuspendTimeoutSecs).',
  },
  vmWithoutToolsAction: {
    kind: 'enum',
    values: VmFallbackAction,
    default: VmFallbackAction.SUSPEND,
    description:
      'A VM whose Tools do not run cannot be shut down from inside: SUSPEND it (keeps the guest memory; powered off ' +
      'if the suspend does not finish within vmSuspendTimeoutSecs) or POWER_OFF it.',
  },
  vmSuspendTimeoutSecs: int(
    1,
    7200,
    120,
    'How long a suspend may take before the VM is powered off.',
    'vm.suspendTimeoutSeconds',
  ),
  vmPowerOffTimeoutSecs: int(
    1,
    3600,
    30,
    "How long to wait for a VM's hard power-off to be confirmed.",
    'vm.powerOffTimeoutSeconds',
  ),
  hostPowerOffTimeoutSecs: int(
    1,
    7200,
    180,
    "How long the host's own ESXi poweroff may take before the host must be down (its plan step's deadline).",
    'hostPowerOffTimeoutSeconds',
  ),
  pointOfNoReturnSeconds: int(
    0,
    DAY,
    60,
    'Seconds after a shutdown plan starts after which power coming back no longer cancels it. Before that, power ' +
      'back (confirmed for powerBackConfirmSeconds) cancels the steps not started yet.',
    'pointOfNoReturnSeconds',
  ),
  powerBackConfirmSeconds: int(
    0,
    3600,
    10,
    'Power counts as back once every UPS of the plan has stayed cleanly on line this many seconds (a flap restarts ' +
      'the count): then pending steps are cancelled (before the point of no return) and the outage can end.',
    'powerBackConfirmSeconds',
  ),
  restartStableSeconds: int(
    0,
    DAY,
    300,
    'Restart gate: every UPS feeding a restart wave must have been cleanly on line this many seconds before the wave ' +
      'is woken; a flap restarts the window.',
  ),
  restartMinChargePercent: int(
    0,
    100,
    50,
    'Restart gate: each UPS feeding the wave needs at least this charge, or enough runtime for another full shutdown ' +
      '(the last measured shutdown + 60 s).',
  ),
};

export const POLICY_SETTING_FIELDS = Object.keys(POLICY_SETTINGS) as PolicySettingField[];

/** The API field a libs/power policy path (`flap.windowSeconds`) belongs to. */
export function apiFieldOfEnginePath(path: string): PolicySettingField | undefined {
  return POLICY_SETTING_FIELDS.find((field) => POLICY_SETTINGS[field].engine === path);
}
