// Generated from docs/openapi.json by `npm run ui:types` (scripts/ui-api-types.mjs): do not edit by hand.
// The dashboard talks to the API in these types; a change to the API shows up here, and where
// the dashboard's code no longer fits, as a build error.

export interface FieldErrorDto {
  /** @example "sshPort" */
  field: string;
  /** @example "must be an integer from 1 to 65535" */
  reason: string;
}

export interface ApiErrorDto {
  /** @example 400 */
  statusCode: number;
  /** @example "Bad Request" */
  error: string;
  /** @example "sshPort: must be an integer from 1 to 65535" */
  message: string;
  fields?: FieldErrorDto[];
}

export interface AuditEntryDto {
  /** @example "42" */
  id: string;
  at: string;
  /** Name of the API token (or cli:<user>) that made the change */
  actor: string;
  /** @example "host.update" */
  action: string;
  /** @example "host" */
  resourceType: string;
  resourceId?: string | null;
  /** State before the change, without secrets */
  before?: Record<string, unknown> | null;
  /** State after the change, without secrets */
  after?: Record<string, unknown> | null;
  requestId?: string | null;
}

export interface AuditPageDto {
  items: AuditEntryDto[];
  nextCursor: string | null;
}

export interface CreateApiTokenDto {
  /**
   * 1-100 letters, digits, ".", "_", "-" or ":"; unique
   * @example "ci-deploy"
   */
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  /** When the token stops working (ISO 8601, in the future) */
  expiresAt?: string;
}

export interface CreatedApiTokenDto {
  id: string;
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  /**
   * First characters of the token, to recognise it
   * @example "nf_Ab12Cd"
   */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  /**
   * The token itself: shown this once, store it now
   * @example "nf_..."
   */
  token: string;
}

export interface ApiTokenDto {
  id: string;
  name: string;
  role: 'viewer' | 'operator' | 'admin';
  /**
   * First characters of the token, to recognise it
   * @example "nf_Ab12Cd"
   */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface UserVarChangeDto {
  name: string;
  type: 'string' | 'int';
  from: string | number | null;
  to: string | number;
}

export interface HostDriftDto {
  hostId: string;
  hostName: string;
  reasons: string[];
  installedVersion: string | null;
  desiredVersion: string | null;
  /** Redacted: NutPassword as "***" */
  userVarChanges: UserVarChangeDto[];
  /** Inventory problems (the desired configuration cannot be built) */
  problems: string[];
}

export interface DriftReportDto {
  /** Artifact whose version is desired (none: UserVars only) */
  artifactId: string | null;
  checkedHosts: number;
  drifted: HostDriftDto[];
}

export interface DeadlineStageDto {
  stage: number;
  /** How long the stage can take: the longest own steps among its hosts on these UPSes */
  seconds: number;
  /** The host that sets that length */
  boundedBy: string;
}

export interface ShutdownDeadlineDto {
  seconds: number;
  stage: number;
  /** This host's own steps: its VM batches one after another, then its poweroff */
  ownSeconds: number;
  /** The UPSes whose outage the deadline is counted for */
  upses: string[];
  /** Earlier stages among hosts sharing one of these UPSes */
  earlierStages: DeadlineStageDto[];
  explanation: string;
}

export interface DesiredConfigDto {
  hostId: string;
  hostName: string;
  /** false: the inventory cannot produce a valid configuration (see problems) */
  ok: boolean;
  /** NutClient version whose options and ranges were applied */
  vibVersion: string;
  /** UserVars.Nut* values; NutPassword is shown as "***" */
  userVars?: Record<string, unknown>;
  /** Why each value is what it is, by option name (e.g. NutFinalDelay: "L + D + M = 0 + 820 + 60 = 880 s: ... D: ... stage 2 in an outage of ups1@nut1 starts after stage 0 (280 s, set by esx-03) ...") */
  reasons?: Record<string, unknown>;
  /** Deadline of this host's power-off in nutfleet's plan for an outage of its own UPSes, seconds from plan start (hosts on other UPSes or in later stages do not count) */
  plannedShutdownDeadlineSeconds?: number;
  deadline?: ShutdownDeadlineDto;
  timing?: Record<string, unknown>;
  warnings?: string[];
  /** field, code, message */
  problems?: Record<string, unknown>[];
}

export interface RolloutTargetDto {
  /** Every host of the inventory */
  all?: boolean;
  /** Host ids or names */
  hosts?: string[];
  /** Host group ids or names */
  groups?: string[];
  /** Hosts carrying any of these tags */
  tags?: string[];
  /** Only the hosts (of the selection above, or of the whole fleet when none is given) that GET /hosts/drift lists as drifted for this rollout */
  drifted?: boolean;
}

export interface CreateRolloutDto {
  /** install/upgrade: deploy the artifact (update when the host has an older version, nothing when it has this one) and configure; configure: UserVars only; uninstall: stop the service and remove the VIB */
  action: 'install' | 'upgrade' | 'configure' | 'uninstall';
  /** Required for install and upgrade */
  artifactId?: string;
  target: RolloutTargetDto;
  /** Hosts in the first wave, alone */
  canaryCount?: number;
  /** Hosts per wave after the canary (all in flight at once) */
  maxInFlight?: number;
  /** Seconds between the end of a wave and the start of the next */
  pauseSeconds?: number;
  /** Later waves are not started once failed/finished hosts exceeds this (judged after each wave) */
  maxFailureRatio?: number;
  /** Lower a host acceptance level to CommunitySupported when the VIB needs it */
  allowAcceptanceChange?: boolean;
  reason?: string;
}

export interface DeployStepEntryDto {
  /** @example "install" */
  step: string;
  outcome: 'done' | 'skipped';
  summary: string;
}

export interface RolloutHostDto {
  stepId: string;
  hostId: string | null;
  hostName: string;
  wave: number;
  state: 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  /** Last deploy step recorded in the journal */
  currentStep: string | null;
  steps: DeployStepEntryDto[];
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  output: string | null;
  error: string | null;
}

export interface RolloutDetailDto {
  id: string;
  planId: string;
  action: 'install' | 'upgrade' | 'configure' | 'uninstall';
  artifactId: string | null;
  /** @example "upsmon 2.8.5-2.7.3" */
  artifact: string | null;
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  /** The target as given */
  target: Record<string, unknown>;
  canaryCount: number;
  maxInFlight: number;
  pauseSeconds: number;
  maxFailureRatio: number;
  allowAcceptanceChange: boolean;
  hostCount: number;
  waveCount: number;
  /** Hosts by state */
  counts: Record<string, number>;
  /** Why later waves were not started */
  stoppedReason: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
  hosts: RolloutHostDto[];
}

export interface RolloutSummaryDto {
  id: string;
  planId: string;
  action: 'install' | 'upgrade' | 'configure' | 'uninstall';
  artifactId: string | null;
  /** @example "upsmon 2.8.5-2.7.3" */
  artifact: string | null;
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  /** The target as given */
  target: Record<string, unknown>;
  canaryCount: number;
  maxInFlight: number;
  pauseSeconds: number;
  maxFailureRatio: number;
  allowAcceptanceChange: boolean;
  hostCount: number;
  waveCount: number;
  /** Hosts by state */
  counts: Record<string, number>;
  /** Why later waves were not started */
  stoppedReason: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
}

export interface RolloutCancelDto {
  reason?: string;
}

export interface RolloutResumeDto {
  /** Lower a host acceptance level to CommunitySupported when the VIB needs it (e.g. after hosts failed on it) */
  allowAcceptanceChange?: boolean;
  /** New failure ratio above which later waves are not started */
  maxFailureRatio?: number;
  /** New pause between waves, seconds */
  pauseSeconds?: number;
}

export interface ArtifactDto {
  id: string;
  kind: 'vib' | 'bundle';
  /** @example "upsmon-2.8.5-2.7.3.x86_64.vib" */
  fileName: string;
  /** @example "upsmon" */
  name: string;
  /** @example "2.8.5-2.7.3" */
  version: string;
  /** @example "Margar" */
  vendor: string;
  /** @example "community" */
  acceptanceLevel: string;
  /** @example "Margar_bootbank_upsmon_2.8.5-2.7.3" */
  vibId: string;
  sha256: string;
  sizeBytes: number;
  /** Parsed descriptor.xml of the VIB (for a bundle, the VIB inside it) */
  descriptor: Record<string, unknown>;
  createdAt: string;
}

export interface NutServerDto {
  id: string;
  name: string;
  host: string;
  port: number;
  tlsMode: 'OFF' | 'OPPORTUNISTIC' | 'REQUIRED';
  tlsCaPem: string | null;
  tlsFingerprint: string | null;
  username: string | null;
  /** A password is stored (it is never returned). Changing host, port or any TLS setting clears it unless the same request sets it again (admin only). */
  hasPassword: boolean;
  /** The INSTCMD/SET account for UPS power cycles */
  commandUsername: string | null;
  /** A password for commandUsername is stored (never returned); it is cleared like `password` when the target changes */
  hasCommandPassword: boolean;
  /** How the password travels, when it deserves attention (e.g. in clear text with tlsMode OFF) */
  warnings: string[];
  createdAt: string;
  updatedAt: string;
}

export interface NutServerPageDto {
  items: NutServerDto[];
  nextCursor: string | null;
}

export interface CreateNutServerDto {
  /** @example "nut-paris" */
  name: string;
  /**
   * Address of upsd
   * @example "10.0.0.5"
   */
  host: string;
  port?: number;
  tlsMode?: 'OFF' | 'OPPORTUNISTIC' | 'REQUIRED';
  /** PEM of the CA signing the server certificate */
  tlsCaPem?: string | null;
  /** SHA-256 of the server certificate (pin) */
  tlsFingerprint?: string | null;
  /** @example "monuser" */
  username?: string | null;
  /** Write-only, admin only; null clears it. Bound to host, port and TLS settings: changing one of them clears it unless it is sent again. */
  password?: string | null;
  /**
   * The account UPS power cycles use: `instcmds` and `actions = SET` in upsd.users, kept apart from the monitoring account
   * @example "nutfleet-cycle"
   */
  commandUsername?: string | null;
  /** Password of commandUsername. Write-only, admin only; null clears it. Bound to host, port and TLS settings like `password`. */
  commandPassword?: string | null;
}

export interface UpdateNutServerDto {
  /** @example "nut-paris" */
  name?: string;
  /**
   * Address of upsd
   * @example "10.0.0.5"
   */
  host?: string;
  port?: number;
  tlsMode?: 'OFF' | 'OPPORTUNISTIC' | 'REQUIRED';
  /** PEM of the CA signing the server certificate */
  tlsCaPem?: string | null;
  /** SHA-256 of the server certificate (pin) */
  tlsFingerprint?: string | null;
  /** @example "monuser" */
  username?: string | null;
  /** Write-only, admin only; null clears it. Bound to host, port and TLS settings: changing one of them clears it unless it is sent again. */
  password?: string | null;
  /**
   * The account UPS power cycles use: `instcmds` and `actions = SET` in upsd.users, kept apart from the monitoring account
   * @example "nutfleet-cycle"
   */
  commandUsername?: string | null;
  /** Password of commandUsername. Write-only, admin only; null clears it. Bound to host, port and TLS settings like `password`. */
  commandPassword?: string | null;
}

export interface NutServerPresetDto {
  id: 'synology-dsm' | 'qnap-qts' | 'pfsense' | 'truenas' | 'unraid' | 'home-assistant' | 'debian-upsd';
  /** @example "Synology DSM (network UPS server)" */
  label: string;
  /** @example 3493 */
  port: number;
  /** UPS name the vendor fixes; null: chosen there */
  upsName: string | null;
  /** Account for remote monitors; null: created there */
  username: string | null;
  /** Only where the vendor hard-codes it (it is then no secret); null: set there */
  knownPassword: string | null;
  /** Where, on that product, the real values are read or set */
  whereToCheck: string;
  /** Public documentation of these values */
  reference: string;
}

export interface UpsDto {
  /**
   * ups.status flags
   * @example ["OB","DISCHRG"]
   */
  flags: string[];
  onBattery: boolean;
  lowBattery: boolean;
  /** battery.charge, % */
  batteryCharge: number | null;
  /** battery.runtime, s */
  batteryRuntimeSeconds: number | null;
  /** ups.load, % */
  upsLoad: number | null;
  id: string;
  name: string;
  /**
   * name@server (server = NUT server name)
   * @example "ups1@nut-paris"
   */
  address: string;
  nutServerId: string;
  description: string | null;
  /** @example "OL" */
  status: string | null;
  commState: 'UNKNOWN' | 'OK' | 'LOST';
  commError: string | null;
  lastSeenAt: string | null;
  /** Hosts this UPS feeds */
  feedCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface UpsPageDto {
  items: UpsDto[];
  nextCursor: string | null;
}

export interface CreateUpsDto {
  /**
   * The UPS name on its NUT server (ups.conf section)
   * @example "ups1"
   */
  name: string;
  nutServerId: string;
  description?: string | null;
}

export interface UpdateUpsDto {
  name?: string;
  description?: string | null;
}

export interface GroupDto {
  id: string;
  name: string;
  description: string | null;
  policyId: string | null;
  hostCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface GroupPageDto {
  items: GroupDto[];
  nextCursor: string | null;
}

export interface CreateGroupDto {
  /** @example "branch-lyon" */
  name: string;
  description?: string | null;
  /** Policy of hosts without one of their own */
  policyId?: string | null;
}

export interface UpdateGroupDto {
  /** @example "branch-lyon" */
  name?: string;
  description?: string | null;
  /** Policy of hosts without one of their own */
  policyId?: string | null;
}

export interface PolicyDto {
  id: string;
  name: string;
  description: string | null;
  /** The default policy: hosts without a policy of their own or of their group follow it. Exactly one policy is the default; it can be changed like any other but not deleted. POST /policies/{id}/make-default moves it. */
  isDefault: boolean;
  /** How the three thresholds (onBatterySeconds, runtimeBelowSeconds, chargeBelowPercent) combine: ANY one met makes the UPS critical, or only ALL of those that are set. LB and FSD always count on their own. */
  triggerCombination: 'ANY' | 'ALL';
  /** The UPS on battery with LB (low battery) is critical, after lowBatteryConfirmSeconds, unless a believable calibration excuses it. LB while on line power is ignored. */
  onLowBattery: boolean;
  /** FSD (forced shutdown, set by upsd or the UPS) makes the UPS critical at once. */
  onForcedShutdown: boolean;
  /** Time threshold: the UPS is critical once its current on-battery episode has lasted this many seconds. Any return to line power resets the timer (upssched cancels its timer on ONLINE). null: no time threshold. */
  onBatterySeconds: number | null;
  /** Runtime threshold: on battery, the UPS is critical when its usable runtime (battery.runtime when plausible, else predicted from the observed discharge) is at or below this many seconds. An unknown or placeholder runtime (-1, 65535, 0 with charge left) never meets it. null: no runtime threshold. */
  runtimeBelowSeconds: number | null;
  /** Charge threshold: on battery, the UPS is critical when a plausible battery.charge is at or below this percent. A charge outside 0–100 is unknown and never meets it. null: no charge threshold. */
  chargeBelowPercent: number | null;
  /** upsmon's OBLBDURATION: OB+LB must last this many seconds before it counts. 0: at once. */
  lowBatteryConfirmSeconds: number;
  /** upsmon's DEADTIME: a UPS last seen on battery (or OFF) that gives no good poll for this many seconds, counted from its last good poll, is critical. A lost connection to a UPS last seen on line power never is. */
  deadtimeSeconds: number;
  /** An on-battery episode shorter than this is a blip: the time, runtime and charge thresholds ignore it (LB and FSD do not). */
  flapGuardSeconds: number;
  /** This many OL→OB onsets within flapWindowSeconds make the UPS flapping: reported, and its charge and runtime thresholds are checked on every episode however short. Flapping alone never makes a UPS critical, and each return to line power still resets the time on battery. At least 2. */
  flapMaxOnsets: number;
  /** Sliding window over which onsets are counted (flapMaxOnsets) and time on battery is summed (flapOnBatteryBudgetSeconds). At most 6 h, the power history the planner keeps. */
  flapWindowSeconds: number;
  /** Optional budget: seconds on battery summed over flapWindowSeconds (every episode, however short) that make the UPS critical, so a battery drained by repeated short outages is caught. Not above flapWindowSeconds. null: no budget. */
  flapOnBatteryBudgetSeconds: number | null;
  /** A calibrating UPS (CAL) has LB and the thresholds suspended, as in upsmon, except at or below this charge: then it is critical after all. */
  calibrationEmergencyChargePercent: number;
  /** A calibrating UPS at or below this runtime (seconds) is critical after all. */
  calibrationEmergencyRuntimeSeconds: number;
  /** A CAL flag shown longer than this many seconds is no longer believed (a stuck calibration): LB and the thresholds apply again. */
  calibrationMaxSeconds: number;
  /** A calibrating UPS that reports no input voltage (under 20 V) is in a real outage: its CAL excuses nothing. */
  calibrationNoInputEndsExcuse: boolean;
  /** upsmon's OFFDURATION: a UPS showing OFF (not feeding its load) for this many seconds stops counting as a healthy supply. null: never (upsmon's OFFDURATION -1). OB OFF is never an immediate shutdown by itself. */
  offDurationSeconds: number | null;
  /** A VM whose VMware Tools run (or whose Tools state is unknown) gets a guest OS shutdown; after this many seconds it escalates to vmFallbackAction. */
  vmGuestShutdownTimeoutSecs: number;
  /** After a guest shutdown times out: POWER_OFF, or SUSPEND (powered off if the suspend does not finish within vmSuspendTimeoutSecs). */
  vmFallbackAction: 'SUSPEND' | 'POWER_OFF';
  /** A VM whose Tools do not run cannot be shut down from inside: SUSPEND it (keeps the guest memory; powered off if the suspend does not finish within vmSuspendTimeoutSecs) or POWER_OFF it. */
  vmWithoutToolsAction: 'SUSPEND' | 'POWER_OFF';
  /** How long a suspend may take before the VM is powered off. */
  vmSuspendTimeoutSecs: number;
  /** How long to wait for a VM's hard power-off to be confirmed. */
  vmPowerOffTimeoutSecs: number;
  /** How long the host's own ESXi poweroff may take before the host must be down (its plan step's deadline). */
  hostPowerOffTimeoutSecs: number;
  /** Seconds after a shutdown plan starts after which power coming back no longer cancels it. Before that, power back (confirmed for powerBackConfirmSeconds) cancels the steps not started yet. */
  pointOfNoReturnSeconds: number;
  /** Power counts as back once every UPS of the plan has stayed cleanly on line this many seconds (a flap restarts the count): then pending steps are cancelled (before the point of no return) and the outage can end. */
  powerBackConfirmSeconds: number;
  /** Restart gate: every UPS feeding a restart wave must have been cleanly on line this many seconds before the wave is woken; a flap restarts the window. */
  restartStableSeconds: number;
  /** Restart gate: each UPS feeding the wave needs at least this charge, or enough runtime for another full shutdown (the last measured shutdown + 60 s). */
  restartMinChargePercent: number;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyPageDto {
  items: PolicyDto[];
  nextCursor: string | null;
}

export interface CreatePolicyDto {
  /** @example "branch-default" */
  name: string;
  description?: string | null;
  /** How the three thresholds (onBatterySeconds, runtimeBelowSeconds, chargeBelowPercent) combine: ANY one met makes the UPS critical, or only ALL of those that are set. LB and FSD always count on their own. */
  triggerCombination?: 'ANY' | 'ALL';
  /** The UPS on battery with LB (low battery) is critical, after lowBatteryConfirmSeconds, unless a believable calibration excuses it. LB while on line power is ignored. */
  onLowBattery?: boolean;
  /** FSD (forced shutdown, set by upsd or the UPS) makes the UPS critical at once. */
  onForcedShutdown?: boolean;
  /** Time threshold: the UPS is critical once its current on-battery episode has lasted this many seconds. Any return to line power resets the timer (upssched cancels its timer on ONLINE). null: no time threshold. */
  onBatterySeconds?: number | null;
  /** Runtime threshold: on battery, the UPS is critical when its usable runtime (battery.runtime when plausible, else predicted from the observed discharge) is at or below this many seconds. An unknown or placeholder runtime (-1, 65535, 0 with charge left) never meets it. null: no runtime threshold. */
  runtimeBelowSeconds?: number | null;
  /** Charge threshold: on battery, the UPS is critical when a plausible battery.charge is at or below this percent. A charge outside 0–100 is unknown and never meets it. null: no charge threshold. */
  chargeBelowPercent?: number | null;
  /** upsmon's OBLBDURATION: OB+LB must last this many seconds before it counts. 0: at once. */
  lowBatteryConfirmSeconds?: number;
  /** upsmon's DEADTIME: a UPS last seen on battery (or OFF) that gives no good poll for this many seconds, counted from its last good poll, is critical. A lost connection to a UPS last seen on line power never is. */
  deadtimeSeconds?: number;
  /** An on-battery episode shorter than this is a blip: the time, runtime and charge thresholds ignore it (LB and FSD do not). */
  flapGuardSeconds?: number;
  /** This many OL→OB onsets within flapWindowSeconds make the UPS flapping: reported, and its charge and runtime thresholds are checked on every episode however short. Flapping alone never makes a UPS critical, and each return to line power still resets the time on battery. At least 2. */
  flapMaxOnsets?: number;
  /** Sliding window over which onsets are counted (flapMaxOnsets) and time on battery is summed (flapOnBatteryBudgetSeconds). At most 6 h, the power history the planner keeps. */
  flapWindowSeconds?: number;
  /** Optional budget: seconds on battery summed over flapWindowSeconds (every episode, however short) that make the UPS critical, so a battery drained by repeated short outages is caught. Not above flapWindowSeconds. null: no budget. */
  flapOnBatteryBudgetSeconds?: number | null;
  /** A calibrating UPS (CAL) has LB and the thresholds suspended, as in upsmon, except at or below this charge: then it is critical after all. */
  calibrationEmergencyChargePercent?: number;
  /** A calibrating UPS at or below this runtime (seconds) is critical after all. */
  calibrationEmergencyRuntimeSeconds?: number;
  /** A CAL flag shown longer than this many seconds is no longer believed (a stuck calibration): LB and the thresholds apply again. */
  calibrationMaxSeconds?: number;
  /** A calibrating UPS that reports no input voltage (under 20 V) is in a real outage: its CAL excuses nothing. */
  calibrationNoInputEndsExcuse?: boolean;
  /** upsmon's OFFDURATION: a UPS showing OFF (not feeding its load) for this many seconds stops counting as a healthy supply. null: never (upsmon's OFFDURATION -1). OB OFF is never an immediate shutdown by itself. */
  offDurationSeconds?: number | null;
  /** A VM whose VMware Tools run (or whose Tools state is unknown) gets a guest OS shutdown; after this many seconds it escalates to vmFallbackAction. */
  vmGuestShutdownTimeoutSecs?: number;
  /** After a guest shutdown times out: POWER_OFF, or SUSPEND (powered off if the suspend does not finish within vmSuspendTimeoutSecs). */
  vmFallbackAction?: 'SUSPEND' | 'POWER_OFF';
  /** A VM whose Tools do not run cannot be shut down from inside: SUSPEND it (keeps the guest memory; powered off if the suspend does not finish within vmSuspendTimeoutSecs) or POWER_OFF it. */
  vmWithoutToolsAction?: 'SUSPEND' | 'POWER_OFF';
  /** How long a suspend may take before the VM is powered off. */
  vmSuspendTimeoutSecs?: number;
  /** How long to wait for a VM's hard power-off to be confirmed. */
  vmPowerOffTimeoutSecs?: number;
  /** How long the host's own ESXi poweroff may take before the host must be down (its plan step's deadline). */
  hostPowerOffTimeoutSecs?: number;
  /** Seconds after a shutdown plan starts after which power coming back no longer cancels it. Before that, power back (confirmed for powerBackConfirmSeconds) cancels the steps not started yet. */
  pointOfNoReturnSeconds?: number;
  /** Power counts as back once every UPS of the plan has stayed cleanly on line this many seconds (a flap restarts the count): then pending steps are cancelled (before the point of no return) and the outage can end. */
  powerBackConfirmSeconds?: number;
  /** Restart gate: every UPS feeding a restart wave must have been cleanly on line this many seconds before the wave is woken; a flap restarts the window. */
  restartStableSeconds?: number;
  /** Restart gate: each UPS feeding the wave needs at least this charge, or enough runtime for another full shutdown (the last measured shutdown + 60 s). */
  restartMinChargePercent?: number;
}

export interface UpdatePolicyDto {
  /** @example "branch-default" */
  name?: string;
  description?: string | null;
  /** How the three thresholds (onBatterySeconds, runtimeBelowSeconds, chargeBelowPercent) combine: ANY one met makes the UPS critical, or only ALL of those that are set. LB and FSD always count on their own. */
  triggerCombination?: 'ANY' | 'ALL';
  /** The UPS on battery with LB (low battery) is critical, after lowBatteryConfirmSeconds, unless a believable calibration excuses it. LB while on line power is ignored. */
  onLowBattery?: boolean;
  /** FSD (forced shutdown, set by upsd or the UPS) makes the UPS critical at once. */
  onForcedShutdown?: boolean;
  /** Time threshold: the UPS is critical once its current on-battery episode has lasted this many seconds. Any return to line power resets the timer (upssched cancels its timer on ONLINE). null: no time threshold. */
  onBatterySeconds?: number | null;
  /** Runtime threshold: on battery, the UPS is critical when its usable runtime (battery.runtime when plausible, else predicted from the observed discharge) is at or below this many seconds. An unknown or placeholder runtime (-1, 65535, 0 with charge left) never meets it. null: no runtime threshold. */
  runtimeBelowSeconds?: number | null;
  /** Charge threshold: on battery, the UPS is critical when a plausible battery.charge is at or below this percent. A charge outside 0–100 is unknown and never meets it. null: no charge threshold. */
  chargeBelowPercent?: number | null;
  /** upsmon's OBLBDURATION: OB+LB must last this many seconds before it counts. 0: at once. */
  lowBatteryConfirmSeconds?: number;
  /** upsmon's DEADTIME: a UPS last seen on battery (or OFF) that gives no good poll for this many seconds, counted from its last good poll, is critical. A lost connection to a UPS last seen on line power never is. */
  deadtimeSeconds?: number;
  /** An on-battery episode shorter than this is a blip: the time, runtime and charge thresholds ignore it (LB and FSD do not). */
  flapGuardSeconds?: number;
  /** This many OL→OB onsets within flapWindowSeconds make the UPS flapping: reported, and its charge and runtime thresholds are checked on every episode however short. Flapping alone never makes a UPS critical, and each return to line power still resets the time on battery. At least 2. */
  flapMaxOnsets?: number;
  /** Sliding window over which onsets are counted (flapMaxOnsets) and time on battery is summed (flapOnBatteryBudgetSeconds). At most 6 h, the power history the planner keeps. */
  flapWindowSeconds?: number;
  /** Optional budget: seconds on battery summed over flapWindowSeconds (every episode, however short) that make the UPS critical, so a battery drained by repeated short outages is caught. Not above flapWindowSeconds. null: no budget. */
  flapOnBatteryBudgetSeconds?: number | null;
  /** A calibrating UPS (CAL) has LB and the thresholds suspended, as in upsmon, except at or below this charge: then it is critical after all. */
  calibrationEmergencyChargePercent?: number;
  /** A calibrating UPS at or below this runtime (seconds) is critical after all. */
  calibrationEmergencyRuntimeSeconds?: number;
  /** A CAL flag shown longer than this many seconds is no longer believed (a stuck calibration): LB and the thresholds apply again. */
  calibrationMaxSeconds?: number;
  /** A calibrating UPS that reports no input voltage (under 20 V) is in a real outage: its CAL excuses nothing. */
  calibrationNoInputEndsExcuse?: boolean;
  /** upsmon's OFFDURATION: a UPS showing OFF (not feeding its load) for this many seconds stops counting as a healthy supply. null: never (upsmon's OFFDURATION -1). OB OFF is never an immediate shutdown by itself. */
  offDurationSeconds?: number | null;
  /** A VM whose VMware Tools run (or whose Tools state is unknown) gets a guest OS shutdown; after this many seconds it escalates to vmFallbackAction. */
  vmGuestShutdownTimeoutSecs?: number;
  /** After a guest shutdown times out: POWER_OFF, or SUSPEND (powered off if the suspend does not finish within vmSuspendTimeoutSecs). */
  vmFallbackAction?: 'SUSPEND' | 'POWER_OFF';
  /** A VM whose Tools do not run cannot be shut down from inside: SUSPEND it (keeps the guest memory; powered off if the suspend does not finish within vmSuspendTimeoutSecs) or POWER_OFF it. */
  vmWithoutToolsAction?: 'SUSPEND' | 'POWER_OFF';
  /** How long a suspend may take before the VM is powered off. */
  vmSuspendTimeoutSecs?: number;
  /** How long to wait for a VM's hard power-off to be confirmed. */
  vmPowerOffTimeoutSecs?: number;
  /** How long the host's own ESXi poweroff may take before the host must be down (its plan step's deadline). */
  hostPowerOffTimeoutSecs?: number;
  /** Seconds after a shutdown plan starts after which power coming back no longer cancels it. Before that, power back (confirmed for powerBackConfirmSeconds) cancels the steps not started yet. */
  pointOfNoReturnSeconds?: number;
  /** Power counts as back once every UPS of the plan has stayed cleanly on line this many seconds (a flap restarts the count): then pending steps are cancelled (before the point of no return) and the outage can end. */
  powerBackConfirmSeconds?: number;
  /** Restart gate: every UPS feeding a restart wave must have been cleanly on line this many seconds before the wave is woken; a flap restarts the window. */
  restartStableSeconds?: number;
  /** Restart gate: each UPS feeding the wave needs at least this charge, or enough runtime for another full shutdown (the last measured shutdown + 60 s). */
  restartMinChargePercent?: number;
}

export interface ImportHostExampleDto {
  /** @example "esx-lyon-01" */
  name: string;
  /** @example "10.1.0.11" */
  address: string;
  sshPort?: number;
  username?: string;
  password?: string;
  privateKey?: string;
  hostKeyFingerprint?: string;
  macAddresses?: string[];
  wolBroadcast?: string;
  wolPort?: number;
  /** Group name (created when unknown) */
  group?: string;
  /** Policy name (must exist) */
  policy?: string;
  tags?: string[];
  shutdownStage?: number;
  restartWave?: number;
  minSupplies?: number;
  /** @example ["ups1@nut-paris:1"] */
  feeds?: string[];
}

export interface ImportReportDto {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  groupsCreated: string[];
}

export interface RowErrorDto {
  /** @example "sshPort" */
  field: string;
  /** @example "must be an integer from 1 to 65535" */
  reason: string;
  /** CSV: line in the file (header = 1); JSON: position in the array from 1 */
  row: number;
  /** The row's host name (null when the row has none) */
  host: string | null;
}

export interface ImportRejectedDto {
  /** @example 422 */
  statusCode: number;
  error: string;
  message: string;
  errors: RowErrorDto[];
}

export interface HostFeedDto {
  id: string;
  upsId: string;
  /** @example "ups1@nut-paris" */
  ups: string;
  powerValue: number;
}

export interface HostPowerDto {
  /** on: seen up (SSH/ESXi answered, a wake verified, it came back by itself); off: known off (a plan verified it down, a wake did not bring it back); unreachable: SSH could not be opened, state unknown; unknown: nothing observed since its last boot. Only off excuses a host from a shutdown plan. */
  state: 'on' | 'off' | 'unreachable' | 'unknown';
  /** When the state was established (ISO 8601) */
  since: string | null;
  /** What the state rests on, e.g. "plan:<id>: powered off, verified down", "discovery: …", "operator:<token>: …" */
  source: string | null;
  /** The plan that established it, when one did */
  planId: string | null;
  /** The restart that ends the outage will wake it (an automatic shutdown took it down) */
  wakeAfterOutage: boolean;
  /** An operator left it off: no restart wakes it until POST /hosts/{id}/allow-wake */
  leftOff: boolean;
}

export interface FactReadErrorDto {
  /**
   * The error's class
   * @example "VimCmdUnknownCommandError"
   */
  code: string;
  /** Names the host and the command, and says what went wrong */
  message: string;
}

export interface FactReadStatusDto {
  state: 'ok' | 'failed';
  /** When the read was made */
  at: string;
  /** ok: what read it */
  by?: 'discovery' | 'rollout';
  /** failed: why */
  error?: FactReadErrorDto;
  /** failed: when the value still held was read; null = never read, the fact is unknown */
  valueReadAt?: string | null;
}

export interface HostFactsDto {
  /** @example 2 */
  schemaVersion: number;
  discoveredAt: string;
  /** How the last read of each fact went, by read (esxi, nics, vms, autostartDefaults, autostartSequence, nutClient, nutUserVars, acceptanceLevel, maintenanceMode). A failed read keeps the value of its last good read (valueReadAt) or, never read, "unknown": null, or for vms [] and autostart.defaults.stopAction "unknown" — so VMs unknown (reads.vms.state = failed) is never the same as no VMs. */
  reads: Record<string, FactReadStatusDto>;
  /** esxcli system version get */
  esxi: Record<string, unknown> | null;
  /** esxcli network nic list */
  nics: Record<string, unknown>[] | null;
  /** VMs with power and VMware Tools state */
  vms: Record<string, unknown>[];
  invalidVmIds: number[];
  /** defaults and sequence */
  autostart: Record<string, unknown>;
  /** NutClient VIB: installed, version, vendor... */
  nutClient: Record<string, unknown> | null;
  /** UserVars.Nut* by name (NutPassword: set or not) */
  nutUserVars: Record<string, unknown> | null;
  acceptanceLevel: string | null;
  maintenanceMode: boolean | null;
}

export interface HostDto {
  id: string;
  name: string;
  address: string;
  sshPort: number;
  username: string;
  /** A password is stored (never returned) */
  hasPassword: boolean;
  /** A private key is stored (never returned) */
  hasPrivateKey: boolean;
  hostKeyFingerprint: string | null;
  trustState: 'UNTRUSTED' | 'TRUSTED' | 'MISMATCH';
  macAddresses: string[];
  wolBroadcast: string | null;
  wolPort: number;
  groupId: string | null;
  /** Group name */
  group: string | null;
  policyId: string | null;
  tags: string[];
  shutdownStage: number;
  restartWave: number;
  minSupplies: number;
  feeds: HostFeedDto[];
  esxiVersion: string | null;
  esxiBuild: string | null;
  vibVersion: string | null;
  lastSeenAt: string | null;
  lastError: string | null;
  power: HostPowerDto;
  createdAt: string;
  updatedAt: string;
  /** What nutfleet read from the host, fact by fact (single-host reads only); null before any discovery */
  facts?: HostFactsDto | null;
}

export interface HostPageDto {
  items: HostDto[];
  nextCursor: string | null;
}

export interface HostFeedInputDto {
  upsId: string;
  /** This supply's NUT power value */
  powerValue?: number;
}

export interface CreateHostDto {
  /** @example "esx-lyon-01" */
  name: string;
  /** @example "10.1.0.11" */
  address: string;
  sshPort?: number;
  username?: string;
  /** Write-only, admin only; null clears it. Bound to address, sshPort and hostKeyFingerprint: changing one of them clears it unless it is sent again. */
  password?: string | null;
  /** PEM/OpenSSH private key; write-only, admin only, bound to the target like password */
  privateKey?: string | null;
  /**
   * Pinned host-key fingerprint: given here, the host is trusted at once (admin only; operators use POST /hosts/{id}/trust and /trust/accept). null untrusts the host.
   * @example "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
   */
  hostKeyFingerprint?: string | null;
  /** @example ["00:50:56:aa:bb:01"] */
  macAddresses?: string[];
  /**
   * Wake-on-LAN broadcast address
   * @example "10.1.0.255"
   */
  wolBroadcast?: string | null;
  wolPort?: number;
  groupId?: string | null;
  policyId?: string | null;
  /** @example ["lab","rack:3"] */
  tags?: string[];
  /** Lower stages shut down first */
  shutdownStage?: number;
  /** Lower waves restart first */
  restartWave?: number;
  /** NUT's MINSUPPLIES for this host */
  minSupplies?: number;
  /** Replaces all of the host power feeds */
  feeds?: HostFeedInputDto[];
}

export interface UpdateHostDto {
  /** @example "esx-lyon-01" */
  name?: string;
  /** @example "10.1.0.11" */
  address?: string;
  sshPort?: number;
  username?: string;
  /** Write-only, admin only; null clears it. Bound to address, sshPort and hostKeyFingerprint: changing one of them clears it unless it is sent again. */
  password?: string | null;
  /** PEM/OpenSSH private key; write-only, admin only, bound to the target like password */
  privateKey?: string | null;
  /**
   * Pinned host-key fingerprint: given here, the host is trusted at once (admin only; operators use POST /hosts/{id}/trust and /trust/accept). null untrusts the host.
   * @example "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
   */
  hostKeyFingerprint?: string | null;
  /** @example ["00:50:56:aa:bb:01"] */
  macAddresses?: string[];
  /**
   * Wake-on-LAN broadcast address
   * @example "10.1.0.255"
   */
  wolBroadcast?: string | null;
  wolPort?: number;
  groupId?: string | null;
  policyId?: string | null;
  /** @example ["lab","rack:3"] */
  tags?: string[];
  /** Lower stages shut down first */
  shutdownStage?: number;
  /** Lower waves restart first */
  restartWave?: number;
  /** NUT's MINSUPPLIES for this host */
  minSupplies?: number;
  /** Replaces all of the host power feeds */
  feeds?: HostFeedInputDto[];
}

export interface PowerFeedDto {
  id: string;
  hostId: string;
  host: string;
  upsId: string;
  /** @example "ups1@nut-paris" */
  ups: string;
  powerValue: number;
  createdAt: string;
}

export interface PowerFeedPageDto {
  items: PowerFeedDto[];
  nextCursor: string | null;
}

export interface CreatePowerFeedDto {
  hostId: string;
  upsId: string;
  powerValue?: number;
}

export interface UpdatePowerFeedDto {
  powerValue: number;
}

export interface GroupCountDto {
  groupId: string | null;
  /** null: hosts without a group */
  group: string | null;
  hosts: number;
}

export interface UpsCountDto {
  upsId: string;
  /** @example "ups1@nut-paris" */
  ups: string;
  status: string | null;
  commState: string;
  hosts: number;
}

export interface HostErrorDto {
  id: string;
  name: string;
  lastError: string;
}

export type PlanWarningCode =
  | 'PLAN_OUTLASTS_BATTERY'
  | 'WORST_CASE_OUTLASTS_BATTERY'
  | 'RUNTIME_UNKNOWN'
  | 'BATTERY_READING_UNKNOWN'
  | 'WAKE_ONTO_FSD'
  | 'WAKE_ONTO_LOW_BATTERY'
  | 'WAKE_ONTO_BATTERY'
  | 'WAKE_ONTO_UNKNOWN_UPS'
  | 'UNTRUSTED_KEY'
  | 'KEY_MISMATCH'
  | 'NEVER_DISCOVERED'
  | 'UNREACHABLE'
  | 'NO_CREDENTIALS'
  | 'NO_POWER_FEED'
  | 'NO_FALLBACK_CLIENT'
  | 'NO_WOL_MAC'
  | 'VM_WITHOUT_TOOLS'
  | 'VMS_UNKNOWN';

export interface PlanWarningDto {
  code: PlanWarningCode;
  /** The host it is about, when it is about one */
  hostId?: string;
  /** The name of that host */
  hostName?: string;
  /** What is wrong and what to do, for a person */
  message: string;
  /** The figures the message is made of (UPS id, seconds, percent...) */
  values: Record<string, string | number>;
}

export interface FleetSummaryDto {
  totalHosts: number;
  /** @example {"UNTRUSTED":3,"TRUSTED":120,"MISMATCH":0} */
  byTrustState: Record<string, number>;
  byGroup: GroupCountDto[];
  byUps: UpsCountDto[];
  hostsWithErrors: number;
  /** Hosts with no power feed (never protected) */
  hostsWithoutFeeds: number;
  /** Up to 20 hosts in error, by name */
  errors: HostErrorDto[];
  /** Hosts nutfleet could not protect now (at least one warning) */
  unprotected: number;
  /** Protection warnings in all (the list stops at 1,000) */
  warningCount: number;
  /** Why each unprotected host is, one warning per problem with what to do, hosts by name */
  warnings: PlanWarningDto[];
  generatedAt: string;
}

export interface ProposedServerDto {
  /**
   * host:port: how UPSes and feeds of the proposal name it
   * @example "nut1.lan:3493"
   */
  key: string;
  host: string;
  port: number;
  /** Name of the row to create (or of the existing server) */
  name: string;
  /** The server is already in the inventory */
  existingId: string | null;
  /** The NutUser the hosts use with it */
  username: string | null;
  hostNames: string[];
}

export interface ProposedUpsDto {
  serverKey: string;
  name: string;
  existingId: string | null;
  hostNames: string[];
}

export interface ProposedFeedDto {
  hostId: string;
  hostName: string;
  serverKey: string;
  upsName: string;
}

export interface ProposedHostSettingsDto {
  hostId: string;
  hostName: string;
  /** NutMinSupplies set by hand, to become minSupplies */
  minSupplies: number | null;
  finalDelaySeconds: number | null;
  onBatteryDelaySeconds: number | null;
}

export interface AdoptedValueVerdictDto {
  /** The value the host runs, set by hand */
  value: number;
  /** Kept as the host's desired value (safe), or replaced by nutfleet's */
  kept: boolean;
  /** Why, against nutfleet's plan for this host */
  why: string;
}

export interface AdoptedTimingDto {
  hostId: string;
  hostName: string;
  /** NutFinalDelay as set by hand */
  finalDelay: AdoptedValueVerdictDto | null;
  /** NutOnBatteryDelay as set by hand */
  onBatteryDelay: AdoptedValueVerdictDto | null;
  /** Desired NutFinalDelay after adoption */
  desiredFinalDelaySeconds: number;
  /** Desired NutOnBatteryDelay after adoption */
  desiredOnBatteryDelaySeconds: number;
  /** The host's power-off deadline in nutfleet's plan, with the proposed feeds */
  deadline: string;
}

export interface AdoptionProblemDto {
  hostName: string;
  message: string;
}

export interface AdoptionProposalDto {
  servers: ProposedServerDto[];
  upses: ProposedUpsDto[];
  /** Only the feeds missing today */
  feeds: ProposedFeedDto[];
  /** Hosts whose NutUpsName was understood */
  hostNames: string[];
  /** Hand-set settings each adopted host keeps */
  hostSettings: ProposedHostSettingsDto[];
  /** Hosts adopted now: the fallback timing they run, and whether it is kept (safe: the VIB still acts only after nutfleet's plan would have finished) or replaced, and why. A replaced value is also listed in problems. */
  timings: AdoptedTimingDto[];
  problems: AdoptionProblemDto[];
}

export interface AdoptionPasswordDto {
  /** @example "nut1.lan:3493" */
  serverKey: string;
  /** The server's NutPassword (discovery never reads it back) */
  password: string;
}

export interface ApplyAdoptionDto {
  /** Passwords of the servers to create (write-only, admin only). A server created without one has no password: its hosts then drift on NutPassword until it is set. */
  passwords?: AdoptionPasswordDto[];
}

export interface AdoptionResultDto {
  serversCreated: string[];
  /** @example ["ups1@nut1.lan"] */
  upsesCreated: string[];
  feedsCreated: number;
  hostNames: string[];
  /** Hosts whose hand-set minSupplies and fallback timing were recorded as their own settings */
  hostsUpdated: string[];
}

export interface HealthDto {
  status: 'ok';
  /** @example 42 */
  uptimeSeconds: number;
}

export interface DependencyCheckDto {
  status: 'up' | 'down';
  /** @example 3 */
  latencyMs: number;
  /** @example "connect ECONNREFUSED 127.0.0.1:6379" */
  error?: string;
}

export interface ReadinessChecksDto {
  database: DependencyCheckDto;
  redis: DependencyCheckDto;
}

export interface ReadinessDto {
  status: 'ready' | 'unavailable';
  /** @example "not ready: redis unreachable" */
  message?: string;
  /** @example [] */
  down: ('database' | 'redis')[];
  checks: ReadinessChecksDto;
}

export interface UpsLiveDto {
  id: string;
  name: string;
  description: string | null;
  nutServerId: string;
  /** @example "ups1@10.0.0.5:3493" */
  address: string;
  /**
   * ups.status as last read
   * @example "OB DISCHRG"
   */
  status: string | null;
  /** @example ["OB","DISCHRG"] */
  flags: string[];
  onBattery: boolean;
  lowBattery: boolean;
  /** battery.charge, % */
  batteryCharge: number | null;
  /** battery.runtime, s */
  batteryRuntimeSeconds: number | null;
  /** ups.load, % */
  upsLoad: number | null;
  commState: 'UNKNOWN' | 'OK' | 'LOST';
  /**
   * Why the UPS cannot be read
   * @example "UNKNOWN-UPS"
   */
  commError: string | null;
  lastSeenAt: string | null;
  updatedAt: string;
}

export interface UpsChartPointDto {
  /** Epoch milliseconds: the sample, or the mean time of a bucket */
  at: number;
  /** battery.charge, % */
  charge: number | null;
  /** battery.runtime, seconds */
  runtimeSeconds: number | null;
  /** ups.load, % */
  load: number | null;
  /** input.voltage, V */
  inputVoltage: number | null;
  /** Samples behind this point (1: as recorded; more: their mean) */
  samples: number;
}

export interface UpsChartOutageDto {
  id: string;
  openedAt: string;
  closedAt: string | null;
  state: 'OPEN' | 'SHEDDING' | 'POWER_BACK' | 'RESTARTING' | 'CLOSED';
}

export interface UpsHistoryDto {
  upsId: string;
  name: string;
  from: string;
  to: string;
  /** Samples recorded in the window (points may be fewer: bucket means) */
  sampleCount: number;
  points: UpsChartPointDto[];
  /** Outages of this UPS overlapping the window */
  outages: UpsChartOutageDto[];
}

export interface PowerEventDto {
  /**
   * 64-bit id, usable as `since` and as SSE Last-Event-ID
   * @example "42"
   */
  id: string;
  type: 'STATUS_CHANGE' | 'COMM_LOST' | 'COMM_RESTORED' | 'STALE_DATA' | 'DECISION' | 'PLAN';
  upsId: string | null;
  planId: string | null;
  status: string | null;
  previousStatus: string | null;
  data: Record<string, unknown> | null;
  /** Server-side time, when the UPS reports one */
  observedAt: string | null;
  /** When nutfleet received it */
  receivedAt: string;
}

export interface PowerEventPageDto {
  items: PowerEventDto[];
  /** Pass as `since` for the next page; null when caught up */
  nextSince: string | null;
}

export interface NutUpsInfoDto {
  name: string;
  description: string;
}

export interface NutConnectionErrorDto {
  /**
   * NUT ERR code given by the server, TLS (handshake, certificate, or password withheld without TLS), NO-NUT-SERVER (the one answer for refused, silent, filtered or non-NUT ports), NOT-ALLOWED (outside ALLOWED_TARGET_NETWORKS) or SECRET (the stored password cannot be opened)
   * @example "ACCESS-DENIED"
   */
  code: string;
  /** @example "NutAccessDeniedError" */
  type: string;
  message: string;
}

export interface NutConnectionTestDto {
  ok: boolean;
  /** @example "10.0.0.5:3493" */
  server: string;
  /** A NUT server answered (even with an error) */
  nutServer: boolean;
  tls?: boolean;
  serverVersion?: string;
  protocolVersion?: string;
  upses?: NutUpsInfoDto[];
  /** UPS the credentials were proven on (LOGIN) */
  loggedInTo?: string | null;
  /** UPSes configured for this server that it does not serve */
  missingUpses?: string[];
  error?: NutConnectionErrorDto;
}

export interface NutServerRuntimeDto {
  id: string;
  server: string;
  connected: boolean;
  lastError: string | null;
  credentialError: string | null;
  upses: number;
}

export interface PowerMonitorStatusDto {
  /** POWER_MONITOR_ENABLED on this replica */
  enabled: boolean;
  /** This replica holds the lease and polls */
  leader: boolean;
  holder: string;
  fencingToken: string | null;
  validUntil: string | null;
  /** Holder of the current fencing token (PostgreSQL) */
  currentLeader: string | null;
  /** Connections (leader only; empty elsewhere) */
  servers: NutServerRuntimeDto[];
}

export interface UpsPowerCycleDto {
  upsId: string;
  /** @example "ups1@nut-paris" */
  address: string;
  action: 'none' | 'shutdown.return' | 'shutdown.stayoff' | 'load.off.delay+load.on.delay';
  offDelaySeconds: number | null;
  onDelaySeconds: number | null;
  chargeRestartPercent: number | null;
  feedsUnmanagedLoads: boolean;
  allowWithUnmanagedLoads: boolean;
  nutPrimaryHostSyncSeconds: number | null;
  /** The UPS's NUT server has an INSTCMD/SET account with a stored password (commandUsername/commandPassword) */
  commandAccountReady: boolean;
}

export interface UpsPowerCycleInputDto {
  /** What nutfleet sends this UPS once every host it feeds is down: none; shutdown.return (output off after the shutdown delay, back once mains is); shutdown.stayoff (off until someone turns it on); load.off.delay+load.on.delay (both timers, only while the input is on line) */
  action: 'none' | 'shutdown.return' | 'shutdown.stayoff' | 'load.off.delay+load.on.delay';
  /** Written to ups.delay.shutdown first, where writable (s) */
  offDelaySeconds?: number | null;
  /** Written to ups.delay.start first, where writable (s) */
  onDelaySeconds?: number | null;
  /** Written to battery.charge.restart first, where writable (%) */
  chargeRestartPercent?: number | null;
  /** The UPS also feeds loads nutfleet does not manage (switches, NAS…): no cycle unless allowed below */
  feedsUnmanagedLoads?: boolean;
  /** Cycle anyway although this UPS feeds hosts the plan leaves running or unmanaged loads: they lose power for the cycle */
  allowWithUnmanagedLoads?: boolean;
  /** HOSTSYNC of a NUT primary (upsmon) that may kill this UPS's power, if there is one: the preview warns when it would cut before the hosts are down */
  nutPrimaryHostSyncSeconds?: number | null;
}

export interface PowerCycleRequestDto {
  kind: 'set-var' | 'instcmd';
  name?: string;
  value?: string;
  command?: string;
  param?: string;
}

export interface PowerCycleSkippedSettingDto {
  variable: string;
  value: string;
  reason: string;
}

export interface PowerCycleTestErrorDto {
  /**
   * CMD-NOT-SUPPORTED, ACCESS-DENIED, NO-COMMAND-ACCOUNT, NOT-CONFIGURED, SECRET, NOT-ALLOWED, NO-NUT-SERVER, or another NUT code
   * @example "CMD-NOT-SUPPORTED"
   */
  code: string;
  message: string;
}

export interface PowerCycleTestDto {
  /** The chosen action can be sent to this UPS with the stored account */
  ok: boolean;
  /** @example "ups1@10.0.0.5:3493" */
  ups: string;
  action: 'none' | 'shutdown.return' | 'shutdown.stayoff' | 'load.off.delay+load.on.delay';
  /** LIST CMD: every instant command the UPS offers */
  commands?: string[];
  /** LIST RW: every writable variable */
  writable?: string[];
  /** The actions whose instant commands this UPS offers */
  supportedActions?: ('none' | 'shutdown.return' | 'shutdown.stayoff' | 'load.off.delay+load.on.delay')[];
  /** Commands the action needs that the UPS does not offer */
  missingCommands?: string[];
  /** What would be sent, in order */
  requests?: PowerCycleRequestDto[];
  skippedSettings?: PowerCycleSkippedSettingDto[];
  /** The account was proven (password and actions = SET) without changing anything; its `instcmds` right can only show when the command is sent */
  accountVerified?: boolean;
  notes: string[];
  error?: PowerCycleTestErrorDto;
}

export interface PlanTargetsDto {
  /** Every host of the inventory */
  all?: boolean;
  /** Host ids or names */
  hosts?: string[];
  /** Host group ids or names */
  groups?: string[];
  /** Hosts carrying any of these tags */
  tags?: string[];
}

export interface CreateShutdownPlanDto {
  targets: PlanTargetsDto;
  /** dry-run reads every host and reports; armed shuts down */
  mode: 'dry-run' | 'armed';
  reason?: string;
}

export interface PlanStepDto {
  id: string;
  /** @example "host:<hostId>:vm:<vmId>:stop" */
  key: string;
  hostId: string | null;
  /** The host's name (now, or as recorded when the plan was made if the host is gone) */
  hostName: string | null;
  /** VM steps: the VM (its name, else its vmid) */
  vmName: string | null;
  /** Restart steps: the wave */
  wave: number | null;
  action:
    | 'vm-stop'
    | 'host-power-off'
    | 'wake'
    | 'wait-ssh'
    | 'verify-esxi'
    | 'power-on-vms'
    | 'restart-gate'
    | 'ups-power-cycle';
  stage: number;
  sequence: number;
  state: 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  attempts: number;
  dependsOn: string[];
  deadlineAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Host power-off: when poweroff was sent (once) */
  commandSentAt: string | null;
  output: string | null;
  error: string | null;
  /** VM, ladder, predicted timings */
  detail: Record<string, unknown> | null;
}

export interface PlanEventDto {
  id: string;
  type: string;
  upsId: string | null;
  status: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

export interface PlanDetailDto {
  id: string;
  kind: 'SHUTDOWN' | 'RESTART' | 'ROLLOUT';
  mode: 'ARMED' | 'DRY_RUN';
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason: string | null;
  dedupKey: string | null;
  predictedSeconds: number | null;
  pointOfNoReturnAt: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
  /** Who cancelled: `operator:<token>` (a decision later evaluations respect) or `system:<why>` (power came back) */
  cancelledBy: string | null;
  /** The outage this plan answers */
  outageId: string | null;
  /** Step counts by state */
  progress: Record<string, unknown>;
  /** Targets as requested */
  targets: Record<string, unknown> | null;
  /** Stages, warnings, battery checks, UPSes */
  detail: Record<string, unknown> | null;
  /** Shutdown plans: the smallest battery runtime of the plan's hosts when it was made */
  batteryRuntimeSeconds: number | null;
  steps: PlanStepDto[];
  /** Power events and decisions of this plan */
  events: PlanEventDto[];
}

export interface PowerCyclePreviewDto {
  upsId: string;
  /** @example "ups1@nut-paris" */
  ups: string;
  action: 'shutdown.return' | 'shutdown.stayoff' | 'load.off.delay+load.on.delay';
  /** Seconds after the plan starts: the last host it feeds predicted down */
  predictedSendSeconds: number;
  /** When the output goes off, when the delay is known */
  outputOffAt: string | null;
  /** The action with its timing, in one line */
  timing: string;
  /** Hosts of the plan it waits for */
  hostNames: string[];
  /** Every host the UPS feeds that boots when its output comes back if its BIOS powers on after AC loss (nutfleet cannot read that setting), including hosts that are off now */
  hostsItMayBoot: string[];
  /** Warnings: the UPS's or a NUT primary's delays cutting power before the hosts are down, hosts an operator left off that it would boot, other loads */
  warnings: string[];
}

export interface ShutdownPreviewDto {
  hostCount: number;
  predictedDurationSeconds: number;
  worstCaseDurationSeconds: number;
  /** Smallest battery runtime of the plan hosts */
  batteryRuntimeSeconds: number | null;
  stages: Record<string, unknown>[];
  /** Each with its predicted timeline and `predictionSource` (where its predicted duration comes from: `measured` in an earlier armed plan, naming it, or the `policy` worst case) */
  steps: Record<string, unknown>[];
  /** Per host: predicted end vs battery runtime */
  hostChecks: Record<string, unknown>[];
  /** The plan's battery warnings and every targeted host nutfleet could not protect now, and why */
  warnings: PlanWarningDto[];
  /** Targeted hosts with at least one protection warning */
  unprotected: number;
  skipped: Record<string, unknown>[];
  powerOffMethod: string;
  /** UPS power cycles sent once every host a UPS feeds is down (its power-cycle setting) */
  powerCycles: PowerCyclePreviewDto[];
}

export interface PlanSummaryDto {
  id: string;
  kind: 'SHUTDOWN' | 'RESTART' | 'ROLLOUT';
  mode: 'ARMED' | 'DRY_RUN';
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason: string | null;
  dedupKey: string | null;
  predictedSeconds: number | null;
  pointOfNoReturnAt: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
  /** Who cancelled: `operator:<token>` (a decision later evaluations respect) or `system:<why>` (power came back) */
  cancelledBy: string | null;
  /** The outage this plan answers */
  outageId: string | null;
  /** Step counts by state */
  progress: Record<string, unknown>;
}

export interface CancelPlanDto {
  reason?: string;
}

export interface CancelResultDto {
  planId: string;
  /** Steps cancelled (not started yet); running steps finish */
  cancelledSteps: number;
}

export interface ReportSummaryDto {
  hosts: number;
  hostsSucceeded: number;
  hostsFailed: number;
  steps: number;
  stepsFailed: number;
  stepsCancelled: number;
}

export interface TimelineEntryDto {
  at: string;
  /** Seconds from the plan start */
  offsetSeconds: number;
  kind: 'plan' | 'host' | 'step' | 'power';
  hostName: string | null;
  text: string;
  /** A failure or cancellation */
  problem: boolean;
}

export interface PredictionSourceDto {
  kind: 'policy' | 'default' | 'measured';
  /** The figure and where it comes from, in words */
  text: string;
  /** policy: the setting */
  setting?: string;
  /** measured: the plan it was measured in */
  planId?: string;
  /** measured: when (epoch ms) */
  measuredAt?: number;
  /** measured: how many measurements */
  samples?: number;
}

export interface ReportStepDto {
  key: string;
  action: string;
  /** The step in words */
  what: string;
  vmName: string | null;
  state: 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  /** Predicted duration when the plan was made */
  predictedSeconds: number | null;
  actualSeconds: number | null;
  predictionSource: PredictionSourceDto | null;
  error: string | null;
}

export interface ReportHostDto {
  hostId: string | null;
  hostName: string;
  outcome: 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'unfinished';
  /** From its first step start to its last step end, predicted */
  predictedSeconds: number | null;
  /** The same span as it happened */
  actualSeconds: number | null;
  /** actual − predicted */
  differenceSeconds: number | null;
  /** Restart plans: the host budget from magic packet to verified ESXi */
  budgetSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  steps: ReportStepDto[];
}

export interface ReportFailureDto {
  /** Host (or UPS) name */
  hostName: string | null;
  stepKey: string;
  action: string;
  what: string;
  state: 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  at: string | null;
  error: string;
  cause:
    | 'HOST_KEY_MISMATCH'
    | 'HOST_KEY_UNTRUSTED'
    | 'SSH_AUTH'
    | 'TARGET_NOT_ALLOWED'
    | 'SSH_UNREACHABLE'
    | 'COMMAND_TIMEOUT'
    | 'VM_NOT_STOPPED'
    | 'HOST_STILL_UP'
    | 'HOST_NOT_BACK'
    | 'ESXI_NOT_VERIFIED'
    | 'VM_NOT_STARTED'
    | 'UPS_COMMAND'
    | 'UNKNOWN';
  /** What to change so that the next outage goes well */
  fix: string;
  readinessCheck:
    | 'SSH_AUTH'
    | 'ESXI_ANSWERS'
    | 'VIB_IN_SYNC'
    | 'HOST_UPSC'
    | 'VM_TOOLS'
    | 'AUTOSTART'
    | 'WOL_MAC'
    | 'WOL_PROVEN'
    | 'RUNTIME_MARGIN'
    | 'NUT_LOGIN'
    | 'FSD_CLEAR'
    | null;
}

export interface ReportFixDto {
  cause:
    | 'HOST_KEY_MISMATCH'
    | 'HOST_KEY_UNTRUSTED'
    | 'SSH_AUTH'
    | 'TARGET_NOT_ALLOWED'
    | 'SSH_UNREACHABLE'
    | 'COMMAND_TIMEOUT'
    | 'VM_NOT_STOPPED'
    | 'HOST_STILL_UP'
    | 'HOST_NOT_BACK'
    | 'ESXI_NOT_VERIFIED'
    | 'VM_NOT_STARTED'
    | 'UPS_COMMAND'
    | 'UNKNOWN';
  fix: string;
  readinessCheck:
    | 'SSH_AUTH'
    | 'ESXI_ANSWERS'
    | 'VIB_IN_SYNC'
    | 'HOST_UPSC'
    | 'VM_TOOLS'
    | 'AUTOSTART'
    | 'WOL_MAC'
    | 'WOL_PROVEN'
    | 'RUNTIME_MARGIN'
    | 'NUT_LOGIN'
    | 'FSD_CLEAR'
    | null;
  targets: string[];
}

export interface BatteryReadingDto {
  at: string;
  chargePercent: number | null;
  runtimeSeconds: number | null;
}

export interface ReportBatteryDto {
  upsId: string;
  upsName: string;
  start: BatteryReadingDto | null;
  end: BatteryReadingDto | null;
  /** Percentage points used */
  chargeUsedPercent: number | null;
  runtimeUsedSeconds: number | null;
  lowestChargePercent: number | null;
  samples: number;
}

export interface PlanReportDto {
  planId: string;
  kind: 'SHUTDOWN' | 'RESTART' | 'ROLLOUT';
  mode: 'ARMED' | 'DRY_RUN';
  state: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason: string | null;
  createdBy: string | null;
  outageId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelledBy: string | null;
  /** False while the plan runs: figures are then up to generatedAt */
  ended: boolean;
  generatedAt: string;
  predictedSeconds: number | null;
  actualSeconds: number | null;
  summary: ReportSummaryDto;
  timeline: TimelineEntryDto[];
  hosts: ReportHostDto[];
  failures: ReportFailureDto[];
  fixes: ReportFixDto[];
  battery: ReportBatteryDto[];
}

export interface ReplayRequestDto {
  /** A replay input: { upses: [{ id, name? }], hosts: [{ id, name?, feeds: [{ upsId, powerValue }], minSupplies, policy?, stage?, vms? }], timeline: [{ t, ups, status?, comm?, charge?, runtime?, inputVoltage?, stale? }], pollIntervalMs?, commLossReportSeconds?, endAt? } (see the README). Give it, or from/to. */
  input?: Record<string, unknown>;
  /** Start of a recorded range (ISO time): replay what the monitor recorded */
  from?: string;
  /** End of the recorded range (ISO time), at most 24 h after from */
  to?: string;
  /** With from/to: settings merged over every host's policy (same shape as libs/power policies, e.g. { "triggers": { "onBatterySeconds": 120 } }) */
  policyOverrides?: Record<string, unknown>;
}

export interface ReplayReasonDto {
  code: string;
  message: string;
}

export interface ReplayStepDto {
  key: string;
  kind: 'vm-stop' | 'host-power-off';
  stage: number;
  vmId?: string;
  vmName?: string;
  /** Seconds from the start */
  predictedStartAt: number;
  predictedEndAt: number;
  deadlineAt: number;
  why: string;
}

export interface ReplayHostResultDto {
  id: string;
  name: string;
  /** First instant critical, seconds; null: never */
  criticalAt: number | null;
  reasons: ReplayReasonDto[];
  /** When its poweroff is predicted to go out */
  powerOffAt: number | null;
  steps: ReplayStepDto[];
}

export interface ReplayOutageEventDto {
  at: number;
  event: string;
  message?: string;
}

export interface ReplayOutageDto {
  openedAt: number;
  closedAt: number | null;
  closeReason: string | null;
  upsIds: string[];
  events: ReplayOutageEventDto[];
}

export interface ReplayResultDto {
  hosts: ReplayHostResultDto[];
  outages: ReplayOutageDto[];
}

export interface HostPlanStepDto {
  /** What the step did, in words ("stop VM db-01", "power off host", "wake") */
  what: string;
  state: 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export interface HostPlanDto {
  planId: string;
  kind: 'SHUTDOWN' | 'RESTART' | 'ROLLOUT';
  mode: 'ARMED' | 'DRY_RUN';
  planState: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason: string | null;
  createdAt: string;
  /** This host's outcome in the plan: its worst step */
  result: 'PENDING' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  steps: HostPlanStepDto[];
}

export interface HostChangeDto {
  at: string;
  /** Who: the token that made the change, or "nutfleet" for what it saw itself */
  who: string;
  /** @example "POST /hosts/:id/trust/accept" */
  what: string;
}

export interface HostHistoryDto {
  /** Plans that had steps on this host, newest first */
  plans: HostPlanDto[];
  /** Changes made to this host through the API (created, edited, trusted, discovered...) and the host's own events (key trusted, key mismatch...), newest first */
  events: HostChangeDto[];
}

export interface CreateRestartPlanDto {
  targets: PlanTargetsDto;
  /** dry-run checks MACs, probes SSH and reads hosts that answer, and reports; armed wakes and powers on */
  mode: 'dry-run' | 'armed';
  /** Also wake hosts that were not up before the outage (not taken down by the last shutdown plan) */
  includeHostsDownBeforeOutage?: boolean;
  /** Magic packet → verified ESXi budget per host; default RESTART_HOST_TIMEOUT_SECONDS */
  hostTimeoutSeconds?: number;
  /** The shutdown plan to follow (who was up); default the latest finished armed one */
  shutdownPlanId?: string;
  reason?: string;
}

export interface RestartWaveDto {
  wave: number;
  hostIds: string[];
  /** UPSes feeding the wave: its power gates look at these */
  upsIds: string[];
}

export interface RestartGateCheckDto {
  gate: 'earlier-waves' | 'power-stable' | 'battery' | 'nut-servers';
  open: boolean;
  reasons: string[];
}

export interface RestartGateNowDto {
  wave: number;
  open: boolean;
  checks: RestartGateCheckDto[];
  /** When a gate closed only by time may open */
  recheckAt: string | null;
}

export interface RestartPreviewDto {
  hostCount: number;
  waves: RestartWaveDto[];
  /** wake, wait-ssh, verify-esxi, power-on-vms per host */
  steps: Record<string, unknown>[];
  /** Hosts left out, with the reason */
  skipped: Record<string, unknown>[];
  hostTimeoutSeconds: number;
  /** stableSeconds and minChargePercent (strictest policy of the hosts) */
  gatePolicy: Record<string, unknown>;
  /** Measured durations of the last shutdown */
  lastShutdown: Record<string, unknown> | null;
  shutdownPlanId: string | null;
  /** The first wave gate, evaluated now */
  firstGate: RestartGateNowDto | null;
  /** Waves that would be woken onto a UPS showing FSD, LB, OB, or not answering */
  warnings: PlanWarningDto[];
}

export interface OutageDto {
  id: string;
  /** OPEN (a UPS left line power), SHEDDING (plans take hosts down), POWER_BACK (mains back, the shutdown finishing), RESTARTING (its restart runs; it decides nothing any more), CLOSED */
  state: 'OPEN' | 'SHEDDING' | 'POWER_BACK' | 'RESTARTING' | 'CLOSED';
  /** When the first of its UPSes left line power */
  openedAt: string;
  /** On-battery timers start no earlier than this */
  timersFrom: string | null;
  /** UPSes that left line power during it */
  upsIds: string[];
  powerBackAt: string | null;
  /** The restart plan that ends it */
  restartPlanId: string | null;
  /** An operator cancelled its automatic shutdown */
  disarmedAt: string | null;
  disarmedBy: string | null;
  closedAt: string | null;
  /** power-back, restarted, superseded */
  closeReason: string | null;
}

export interface CurrentOutageDto {
  /** The outage under way, if any */
  outage: OutageDto | null;
  /** Shutdown and restart plans running now (an outage is also under way while one runs) */
  runningPlanIds: string[];
}

export interface HostKeyFetchedDto {
  hostId: string;
  /**
   * Key the host presents now; NOT trusted by this call
   * @example "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
   */
  presentedFingerprint: string;
  fetchedAt: string;
  /** The fingerprint pinned today, if any */
  pinnedFingerprint: string | null;
  trustState: 'UNTRUSTED' | 'TRUSTED' | 'MISMATCH';
  /** True when the presented key is the pinned one */
  matchesPinned: boolean;
}

export interface AcceptHostKeyDto {
  /**
   * The fingerprint to pin, as checked on the host console (`SHA256:` prefix optional)
   * @example "SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8"
   */
  fingerprint: string;
}

export interface HostTrustDto {
  hostId: string;
  trustState: 'TRUSTED';
  fingerprint: string;
  /** The fingerprint pinned before, if it changed */
  previousFingerprint?: string | null;
}

export interface HostEventDto {
  /** Sequence number (string: 64-bit) */
  id: string;
  type: 'HOST_KEY_MISMATCH' | 'HOST_KEY_TRUSTED';
  message: string;
  data: Record<string, unknown> | null;
  at: string;
}

export interface DiscoverFleetDto {
  /** Only these hosts */
  hostIds?: string[];
  /** Only hosts of this group */
  groupId?: string;
  /** Only hosts carrying every one of these tags */
  tags?: string[];
}

export interface DiscoveryQueuedDto {
  runId: string;
  /** Number of hosts queued */
  total: number;
  /**
   * Where to follow progress
   * @example "/discovery-runs/6f1c..."
   */
  statusUrl: string;
  /** True when a discovery of this host was already pending and is returned instead */
  alreadyPending: boolean;
}

export interface DiscoveryHostErrorDto {
  hostId: string;
  hostName: string;
  /** What failed and what to do */
  error: string;
  at: string | null;
}

export interface DiscoveryRunDto {
  id: string;
  state: 'running' | 'finished';
  /** The filter it was created with */
  filter: Record<string, unknown> | null;
  total: number;
  /** Hosts finished, either way (succeeded + failed) */
  done: number;
  succeeded: number;
  failed: number;
  pending: number;
  createdAt: string;
  finishedAt: string | null;
  /** Failed hosts (up to 1,000), with their error */
  errors: DiscoveryHostErrorDto[];
  /** Succeeded hosts where some reads failed (counted in `succeeded`): their other facts were recorded; GET /hosts/:id shows each fact's read in facts.reads */
  incomplete: number;
  /** Succeeded hosts where some reads failed (up to 1,000), with the failed reads */
  incompleteHosts: DiscoveryHostErrorDto[];
}

export interface NotificationEventInfoDto {
  type:
    | 'ups.on-battery'
    | 'ups.low-battery'
    | 'ups.on-line'
    | 'ups.comm-lost'
    | 'ups.comm-restored'
    | 'outage.opened'
    | 'outage.closed'
    | 'plan.created'
    | 'plan.succeeded'
    | 'plan.failed'
    | 'plan.cancelled'
    | 'restart.wave-started'
    | 'restart.wave-finished'
    | 'host.key-mismatch'
    | 'readiness.dropped'
    | 'readiness.recovered'
    | 'rollout.succeeded'
    | 'rollout.failed'
    | 'threshold.alert'
    | 'threshold.recovered'
    | 'test';
  /** What the event is, in a few words */
  label: string;
  /** @example "UPS" */
  group: string;
}

export interface NotificationCatalogDto {
  eventTypes: string[];
  events: NotificationEventInfoDto[];
  severities: string[];
  channelKinds: ('EMAIL' | 'WEBHOOK' | 'SLACK' | 'NTFY' | 'GOTIFY' | 'TEAMS' | 'DISCORD')[];
}

export interface EmailSettingsViewDto {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  username: string | null;
  hasPassword: boolean;
  from: string;
  to: string[];
  hasCaPem: boolean;
}

export interface WebhookSettingsViewDto {
  /** Host of the URL (the URL itself is secret) */
  urlHost: string;
  hasSigningSecret: boolean;
  /** NTFY / GOTIFY: whether a token is set */
  hasToken: boolean;
}

export interface NotificationRouteViewDto {
  eventTypes: string[];
  minSeverity: 'INFO' | 'WARNING' | 'CRITICAL';
}

export interface NotificationChannelDto {
  id: string;
  name: string;
  kind: 'EMAIL' | 'WEBHOOK' | 'SLACK' | 'NTFY' | 'GOTIFY' | 'TEAMS' | 'DISCORD';
  enabled: boolean;
  email: EmailSettingsViewDto | null;
  webhook: WebhookSettingsViewDto | null;
  routes: NotificationRouteViewDto[];
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NotificationRouteDto {
  /** Empty or absent: every event type */
  eventTypes?: (
    | 'ups.on-battery'
    | 'ups.low-battery'
    | 'ups.on-line'
    | 'ups.comm-lost'
    | 'ups.comm-restored'
    | 'outage.opened'
    | 'outage.closed'
    | 'plan.created'
    | 'plan.succeeded'
    | 'plan.failed'
    | 'plan.cancelled'
    | 'restart.wave-started'
    | 'restart.wave-finished'
    | 'host.key-mismatch'
    | 'readiness.dropped'
    | 'readiness.recovered'
    | 'rollout.succeeded'
    | 'rollout.failed'
    | 'threshold.alert'
    | 'threshold.recovered'
    | 'test'
  )[];
  minSeverity?: 'INFO' | 'WARNING' | 'CRITICAL';
}

export interface CreateNotificationChannelDto {
  /** @example "ops-mail" */
  name?: string;
  enabled?: boolean;
  /**
   * EMAIL: SMTP server
   * @example "smtp.example.com"
   */
  smtpHost?: string;
  /** EMAIL: default 587 (starttls), 465 (tls), 25 (none) */
  smtpPort?: number;
  /** starttls: STARTTLS required; tls: implicit TLS; none: plain (loopback relays only) */
  smtpSecurity?: 'starttls' | 'tls' | 'none';
  /** EMAIL: SMTP AUTH user (null: no authentication) */
  smtpUsername?: string | null;
  /** EMAIL: SMTP AUTH password, sealed at rest, never returned */
  smtpPassword?: string | null;
  /**
   * EMAIL: sender address
   * @example "nutfleet@example.com"
   */
  smtpFrom?: string;
  /** EMAIL: recipients */
  smtpTo?: string[];
  /** EMAIL: PEM of the CA that signs the SMTP server certificate (else the system CAs) */
  smtpCaPem?: string | null;
  /** Every kind but EMAIL: where to POST (sealed at rest: such URLs embed a token; only its host is returned). WEBHOOK, SLACK, TEAMS (workflow or incoming-webhook URL), DISCORD: the webhook URL; NTFY: the topic URL (https://ntfy.sh/<topic>); GOTIFY: the server URL */
  webhookUrl?: string;
  /** WEBHOOK: key of the X-Nutfleet-Signature HMAC-SHA256 of the body (sealed) */
  webhookSigningSecret?: string | null;
  /** NTFY: access token, sent as a bearer (optional); GOTIFY: application token (required). Sealed */
  webhookToken?: string | null;
  /** Replaces every route of the channel */
  routes?: NotificationRouteDto[];
  kind: 'EMAIL' | 'WEBHOOK' | 'SLACK' | 'NTFY' | 'GOTIFY' | 'TEAMS' | 'DISCORD';
}

export interface UpdateNotificationChannelDto {
  /** @example "ops-mail" */
  name?: string;
  enabled?: boolean;
  /**
   * EMAIL: SMTP server
   * @example "smtp.example.com"
   */
  smtpHost?: string;
  /** EMAIL: default 587 (starttls), 465 (tls), 25 (none) */
  smtpPort?: number;
  /** starttls: STARTTLS required; tls: implicit TLS; none: plain (loopback relays only) */
  smtpSecurity?: 'starttls' | 'tls' | 'none';
  /** EMAIL: SMTP AUTH user (null: no authentication) */
  smtpUsername?: string | null;
  /** EMAIL: SMTP AUTH password, sealed at rest, never returned */
  smtpPassword?: string | null;
  /**
   * EMAIL: sender address
   * @example "nutfleet@example.com"
   */
  smtpFrom?: string;
  /** EMAIL: recipients */
  smtpTo?: string[];
  /** EMAIL: PEM of the CA that signs the SMTP server certificate (else the system CAs) */
  smtpCaPem?: string | null;
  /** Every kind but EMAIL: where to POST (sealed at rest: such URLs embed a token; only its host is returned). WEBHOOK, SLACK, TEAMS (workflow or incoming-webhook URL), DISCORD: the webhook URL; NTFY: the topic URL (https://ntfy.sh/<topic>); GOTIFY: the server URL */
  webhookUrl?: string;
  /** WEBHOOK: key of the X-Nutfleet-Signature HMAC-SHA256 of the body (sealed) */
  webhookSigningSecret?: string | null;
  /** NTFY: access token, sent as a bearer (optional); GOTIFY: application token (required). Sealed */
  webhookToken?: string | null;
  /** Replaces every route of the channel */
  routes?: NotificationRouteDto[];
}

export interface NotificationDeliveryDto {
  id: string;
  channelId: string;
  channelName: string;
  eventType:
    | 'ups.on-battery'
    | 'ups.low-battery'
    | 'ups.on-line'
    | 'ups.comm-lost'
    | 'ups.comm-restored'
    | 'outage.opened'
    | 'outage.closed'
    | 'plan.created'
    | 'plan.succeeded'
    | 'plan.failed'
    | 'plan.cancelled'
    | 'restart.wave-started'
    | 'restart.wave-finished'
    | 'host.key-mismatch'
    | 'readiness.dropped'
    | 'readiness.recovered'
    | 'rollout.succeeded'
    | 'rollout.failed'
    | 'threshold.alert'
    | 'threshold.recovered'
    | 'test';
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  title: string;
  test: boolean;
  /** PENDING: queued or being retried; FAILED: every attempt failed */
  state: 'PENDING' | 'SENT' | 'FAILED';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NotificationDeliveryPageDto {
  items: NotificationDeliveryDto[];
  nextCursor: string | null;
}

export interface ThresholdAlertStateDto {
  upsId: string;
  /** name@host:port */
  ups: string;
  /** The reading that raised it */
  value: number | null;
  since: string;
}

export interface NotificationThresholdDto {
  id: string;
  upsId: string | null;
  /** name@host:port; null: every UPS */
  ups: string | null;
  metric: 'LOAD' | 'RUNTIME' | 'CHARGE';
  value: number;
  hysteresis: number;
  /** Where an alert recovers: value − hysteresis for LOAD, value + hysteresis otherwise */
  recoversAt: number;
  unit: '%' | 'min';
  /** @example "load above 80 %" */
  description: string;
  severity: 'INFO' | 'WARNING' | 'CRITICAL';
  enabled: boolean;
  /** UPSes in alert now */
  alerts: ThresholdAlertStateDto[];
  createdAt: string;
  updatedAt: string;
}

export interface CreateNotificationThresholdDto {
  /** The UPS watched; null: every UPS (each alerts on its own) */
  upsId?: string | null;
  /**
   * LOAD: % (alert above); RUNTIME: minutes (alert below); CHARGE: % (alert below)
   * @example 80
   */
  value?: number;
  /**
   * How far back past the threshold the reading must come before the alert recovers (same unit); default 5 % for LOAD and CHARGE, 2 min for RUNTIME
   * @example 5
   */
  hysteresis?: number;
  /** Of the alert and its recovery */
  severity?: 'INFO' | 'WARNING' | 'CRITICAL';
  enabled?: boolean;
  /** LOAD above, RUNTIME below, CHARGE below */
  metric: 'LOAD' | 'RUNTIME' | 'CHARGE';
}

export interface UpdateNotificationThresholdDto {
  /** The UPS watched; null: every UPS (each alerts on its own) */
  upsId?: string | null;
  /**
   * LOAD: % (alert above); RUNTIME: minutes (alert below); CHARGE: % (alert below)
   * @example 80
   */
  value?: number;
  /**
   * How far back past the threshold the reading must come before the alert recovers (same unit); default 5 % for LOAD and CHARGE, 2 min for RUNTIME
   * @example 5
   */
  hysteresis?: number;
  /** Of the alert and its recovery */
  severity?: 'INFO' | 'WARNING' | 'CRITICAL';
  enabled?: boolean;
}

export interface ReadinessCheckDto {
  /** Stable check code */
  code:
    | 'SSH_AUTH'
    | 'ESXI_ANSWERS'
    | 'VIB_IN_SYNC'
    | 'HOST_UPSC'
    | 'VM_TOOLS'
    | 'AUTOSTART'
    | 'WOL_MAC'
    | 'WOL_PROVEN'
    | 'RUNTIME_MARGIN'
    | 'NUT_LOGIN'
    | 'FSD_CLEAR';
  ok: boolean;
  /** What was seen (stale results say when they last ran) */
  message: string;
  checkedAt: string;
}

export interface HostReadinessDto {
  hostId: string;
  hostName: string;
  groupId: string | null;
  /** 0-100, the share of passing checks; null until its first checks ran */
  score: number | null;
  /** Failing checks first */
  checks: ReadinessCheckDto[];
}

export interface GroupReadinessDto {
  /** null: hosts without a group */
  groupId: string | null;
  group: string | null;
  /** Mean of its hosts’ scores */
  score: number | null;
  hosts: number;
  /** Hosts with at least one failing check */
  failingHosts: number;
}

export interface FleetReadinessDto {
  /** Mean of the hosts’ scores; null before any check ran */
  score: number | null;
  /** A host or fleet score below this notifies (readiness.dropped) */
  threshold: number;
  /** Lowest score first */
  hosts: HostReadinessDto[];
  /** Lowest score first */
  groups: GroupReadinessDto[];
  generatedAt: string;
}

export interface StartDrillDto {
  /** rehearsal: the group’s shutdown plan as a dry-run over real SSH, timed host by host; live: an armed shutdown of the group then its Wake-on-LAN restart */
  kind: 'rehearsal' | 'live';
  /** The test group: id or name */
  group: string;
  /** Host ids or names, all of the group; default the whole group */
  hosts?: string[];
  /** Live drills: the group’s name typed again, to confirm */
  confirm?: string;
  reason?: string;
}

export interface DrillDto {
  id: string;
  kind: 'rehearsal' | 'live';
  state: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'YIELDED';
  groupId: string | null;
  groupName: string;
  hostIds: string[];
  /** The token that asked, or "schedule" */
  requestedBy: string;
  reason: string | null;
  shutdownPlanId: string | null;
  restartPlanId: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  /** The real outage this drill yielded to */
  yieldedTo: string | null;
  /** A report is ready (GET /drills/:id/report) */
  reportReady: boolean;
}

export interface DrillPlanReportsDto {
  shutdown: string | null;
  restart: string | null;
}

export interface DrillSummaryCountsDto {
  hosts: number;
  ok: number;
  failed: number;
  notRun: number;
  /** Hosts whose shutdown (or its read-only part) took longer than predicted */
  slower: number;
  /** Live drills: hosts woken and verified */
  woken: number | null;
}

export type DrillVerdict =
  'as-predicted' | 'slower' | 'faster' | 'fits' | 'within-budget' | 'over-budget' | 'not-measured';

export interface DrillHostSpanDto {
  predictedSeconds: number | null;
  measuredSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  verdict: DrillVerdict;
}

export interface DrillStepReportDto {
  plan: 'shutdown' | 'restart';
  key: string;
  action: string;
  vm: string | null;
  state: string;
  /** From the plan’s predicted timeline */
  predictedSeconds: number | null;
  /** The step’s timeout */
  budgetSeconds: number | null;
  /** From the step’s start and end */
  measuredSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  verdict: DrillVerdict;
  /** What failed, or why it did not run */
  problem: string | null;
}

export interface DrillFailureDto {
  key: string;
  why: string;
  /** A failed step: its recognised cause */
  cause: string | null;
  /** A failed step: what to fix */
  fix: string | null;
}

export interface DrillWakeDto {
  /** ESXi verified after the magic packet */
  verified: boolean;
  packetSentAt: string | null;
  verifiedAt: string | null;
  secondsToVerified: number | null;
  budgetSeconds: number | null;
  why: string | null;
}

export interface DrillHostReportDto {
  hostId: string;
  hostName: string;
  result: 'ok' | 'failed' | 'not-run';
  /** The host’s shutdown steps together */
  shutdown: DrillHostSpanDto;
  steps: DrillStepReportDto[];
  failures: DrillFailureDto[];
  /** Live drills only */
  wake: DrillWakeDto | null;
}

export interface DrillReportDto {
  drillId: string;
  kind: 'rehearsal' | 'live';
  group: string;
  requestedBy: string;
  state: string;
  startedAt: string;
  finishedAt: string;
  error: string | null;
  shutdownPlanId: string | null;
  restartPlanId: string | null;
  /** Each plan’s own report page */
  planReports: DrillPlanReportsDto;
  summary: DrillSummaryCountsDto;
  /** Failing hosts first */
  hosts: DrillHostReportDto[];
}

export interface SessionDto {
  tokenName: string;
  role: 'viewer' | 'operator' | 'admin';
}

export interface VibMailSettingsDto {
  scope: 'fleet' | 'group';
  groupId: string | null;
  /** Group name */
  group: string | null;
  mode: 'OFF' | 'MAIL' | 'VERBOSE';
  mailTo: string | null;
  smtpRelay: string | null;
  /** Who changed it last */
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface VibMailSettingsListDto {
  /** The fleet default (mode OFF, updatedAt null while never set) */
  fleet: VibMailSettingsDto;
  /** Groups that override it, by group name */
  groups: VibMailSettingsDto[];
}

export interface VibMailSettingsInputDto {
  /** OFF: no mail from the host; MAIL: one per UPS event; VERBOSE: with the full UPS status (NutClient 2.6.0+) */
  mode: 'OFF' | 'MAIL' | 'VERBOSE';
  /**
   * NutMailTo, required unless OFF: one address such as ops@example.com (letters, digits, _ . + - and one @)
   * @example "ops@example.com"
   */
  mailTo?: string;
  /**
   * NutSmtpRelay (NutClient 2.6.0+): a host name or IP address (smtpblast takes no port); null or absent: straight to the recipient's MX
   * @example "smtp.example.com"
   */
  smtpRelay?: string | null;
}
