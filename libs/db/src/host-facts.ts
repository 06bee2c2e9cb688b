/**
 * The shape of `Host.facts`: what nutfleet read from the host over SSH. The worker writes it (each
 * discovery, and a rollout for the VIB and its UserVars), the API returns it, the power engine
 * reads VMs and autostart order from it. Plain JSON only (`null`, never `undefined`), and no
 * secret: the NUT password UserVar is recorded as set/unset, never with its value.
 *
 * Each fact is read on its own (`HOST_FACT_READS`) and `reads` says how each read went: a read
 * that fails records its error there and leaves the other facts as read. A failed fact keeps the
 * value of its last good read (`reads[x].valueReadAt` says when), or, never read, its "unknown"
 * value: `null`, except for the fields the planners read, which keep their types — `vms` is then
 * `[]` and `autostart.defaults` is `UNKNOWN_AUTOSTART_DEFAULTS`. So "VMs unknown" is
 * `reads.vms.state === 'failed'`, never an empty list: read them with `knownVms(facts)`.
 *
 * Bump HOST_FACTS_SCHEMA_VERSION on an incompatible change; readers check it with `isHostFacts`
 * (schema 1 had no `reads`: a migration upgraded stored documents).
 */
export const HOST_FACTS_SCHEMA_VERSION = 2;

/** The reads behind the facts, one command (or one family of commands) each. */
export const HOST_FACT_READS = [
  /** `esxcli system version get` → `esxi`. */
  'esxi',
  /** `esxcli network nic list` → `nics`. */
  'nics',
  /** `vim-cmd vmsvc/getallvms`, then `power.getstate` (and `get.guest`) per VM → `vms`, `invalidVmIds`. */
  'vms',
  /** `vim-cmd hostsvc/autostartmanager/get_defaults` → `autostart.defaults`. */
  'autostartDefaults',
  /** `vim-cmd hostsvc/autostartmanager/get_autostartseq` → `autostart.sequence`. */
  'autostartSequence',
  /** `esxcli software vib list` (or a rollout's verification) → `nutClient`. */
  'nutClient',
  /** `esxcli system settings advanced list -t /UserVars` (or a rollout's verification) → `nutUserVars`. */
  'nutUserVars',
  /** `esxcli software acceptance get` → `acceptanceLevel`. */
  'acceptanceLevel',
  /** `esxcli system maintenanceMode get` → `maintenanceMode`. */
  'maintenanceMode',
] as const;

export type HostFactRead = (typeof HOST_FACT_READS)[number];

export type FactReadError = {
  /** The error's class, e.g. "VimCmdUnknownCommandError", "VmListParseError", "CommandTimeoutError". */
  readonly code: string;
  /** Names the host and the command, and says what went wrong. */
  readonly message: string;
};

export type FactReadStatus =
  | {
      readonly state: 'ok';
      /** ISO-8601 time of the read. */
      readonly at: string;
      /** What read it: a discovery, or a rollout that verified what it installed and set. */
      readonly by: 'discovery' | 'rollout';
    }
  | {
      readonly state: 'failed';
      /** ISO-8601 time of the failed read. */
      readonly at: string;
      readonly error: FactReadError;
      /** When the value still in the field was read; null: never read, the field holds "unknown". */
      readonly valueReadAt: string | null;
    };

export type HostFacts = {
  readonly schemaVersion: typeof HOST_FACTS_SCHEMA_VERSION;
  /** ISO-8601 time of the last discovery. */
  readonly discoveredAt: string;
  /** How the last read of each fact went. */
  readonly reads: Readonly<Record<HostFactRead, FactReadStatus>>;
  /** `esxcli system version get`; null when never read. */
  readonly esxi: EsxiVersionFacts | null;
  /** `esxcli network nic list`; null when never read. */
  readonly nics: readonly NicFacts[] | null;
  /**
   * `vim-cmd vmsvc/getallvms` + `power.getstate` + `get.guest` per VM, by VM id. `[]` also when
   * never read: check `reads.vms` (or use `knownVms`).
   */
  readonly vms: readonly VmFacts[];
  /** VM ids vim-cmd reported as invalid (orphaned or inaccessible). */
  readonly invalidVmIds: readonly number[];
  /** `vim-cmd hostsvc/autostartmanager/get_defaults` and `get_autostartseq` (by startOrder). */
  readonly autostart: AutostartFacts;
  /** NutClient-ESXi VIB (`upsmon`) from `esxcli software vib list`; null when never read. */
  readonly nutClient: NutClientFacts | null;
  /** `/UserVars/Nut*` from `esxcli system settings advanced list -t /UserVars`, by name; null when never read. */
  readonly nutUserVars: Readonly<Record<string, NutUserVarFacts>> | null;
  /** `esxcli software acceptance get`, e.g. "PartnerSupported"; null when never read. */
  readonly acceptanceLevel: string | null;
  /** `esxcli system maintenanceMode get`; null when never read. */
  readonly maintenanceMode: boolean | null;
};

export type EsxiVersionFacts = {
  readonly product: string;
  /** e.g. "8.0.3" (also in Host.esxiVersion). */
  readonly version: string;
  /** e.g. "Releasebuild-24022510" (also in Host.esxiBuild). */
  readonly build: string;
  readonly buildNumber: number | null;
  readonly update: number | null;
  readonly patch: number | null;
};

export type NicFacts = {
  readonly name: string;
  /** Lower case, colon separated. */
  readonly macAddress: string;
  readonly driver: string;
  readonly adminStatus: string;
  readonly linkStatus: string;
  readonly speedMbps: number | null;
  readonly mtu: number | null;
  readonly description: string;
};

export type VmPowerStateFact = 'poweredOn' | 'poweredOff' | 'suspended';

/**
 * VMware Tools, from `vim-cmd vmsvc/get.guest` (toolsRunningStatus / toolsStatus):
 * `unknown` when the host could not say (command missing or VM without guest info).
 */
export type VmToolsStateFact = 'running' | 'notRunning' | 'notInstalled' | 'unknown';

export type VmFacts = {
  readonly id: number;
  readonly name: string;
  /** "[datastore1] nutsrv/nutsrv.vmx" */
  readonly file: string;
  readonly guestOs: string;
  /** e.g. "vmx-19" */
  readonly hwVersion: string;
  readonly powerState: VmPowerStateFact;
  readonly tools: VmToolsStateFact;
};

export type AutostartDefaultsFacts = {
  readonly enabled: boolean;
  readonly startDelay: number;
  readonly stopDelay: number;
  readonly waitForHeartbeat: boolean;
  /** e.g. "powerOff"; "unknown" in `UNKNOWN_AUTOSTART_DEFAULTS`. */
  readonly stopAction: string;
};

/**
 * `autostart.defaults` of a host whose get_defaults was never read: autostart counted as off, so
 * a restart powers the VMs on itself rather than waiting for a host that may never start them.
 */
export const UNKNOWN_AUTOSTART_DEFAULTS: AutostartDefaultsFacts = {
  enabled: false,
  startDelay: 0,
  stopDelay: 0,
  waitForHeartbeat: false,
  stopAction: 'unknown',
};

export type AutostartFacts = {
  /** `UNKNOWN_AUTOSTART_DEFAULTS` when never read (see `reads.autostartDefaults`). */
  readonly defaults: AutostartDefaultsFacts;
  /** Sorted by startOrder; stop order is the reverse. Delays in seconds, -1 = system default. */
  readonly sequence: readonly {
    readonly vmId: number;
    readonly startOrder: number;
    readonly startDelay: number;
    readonly startAction: string;
    readonly stopDelay: number;
    readonly stopAction: string;
    readonly waitForHeartbeat: string;
  }[];
};

export type NutClientFacts =
  | { readonly installed: false }
  | {
      readonly installed: true;
      /** e.g. "2.8.5-2.7.3" (also in Host.vibVersion). */
      readonly version: string;
      readonly vendor: string;
      readonly acceptanceLevel: string;
      /** "YYYY-MM-DD" or null. */
      readonly installDate: string | null;
    };

/** The shape libs/vib's `observeNutUserVars` returns (the NUT password only as set/unset). */
export type NutUserVarFacts =
  | { readonly type: 'integer'; readonly value: number | null; readonly default: number | null }
  | { readonly type: 'string'; readonly value: string | null; readonly default: string | null }
  /** A secret (NutPassword): whether it differs from empty, never the value. */
  | { readonly type: 'secret'; readonly set: boolean };

/** True for a facts document this code can read (right schema version). */
export function isHostFacts(value: unknown): value is HostFacts {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { schemaVersion?: unknown }).schemaVersion === HOST_FACTS_SCHEMA_VERSION
  );
}

/** Every read successful at `at` (a document written in one go: the demo, tests, schema-1 documents). */
export function allReadsOk(at: string, by: 'discovery' | 'rollout' = 'discovery'): HostFacts['reads'] {
  return Object.fromEntries(HOST_FACT_READS.map((read) => [read, { state: 'ok', at, by }])) as HostFacts['reads'];
}

/** The VMs when the last read of the VM list succeeded; undefined when they are unknown. */
export function knownVms(facts: HostFacts): readonly VmFacts[] | undefined {
  return facts.reads.vms.state === 'ok' ? facts.vms : undefined;
}

/** The reads whose last attempt failed, in `HOST_FACT_READS` order. */
export function failedFactReads(
  facts: HostFacts,
): Array<{ readonly read: HostFactRead; readonly status: Extract<FactReadStatus, { state: 'failed' }> }> {
  return HOST_FACT_READS.flatMap((read) => {
    const status = facts.reads[read];
    return status.state === 'failed' ? [{ read, status }] : [];
  });
}
