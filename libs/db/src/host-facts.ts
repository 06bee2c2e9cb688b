/**
 * The shape of `Host.facts`: what discovery read from the host over SSH, replaced as a whole by
 * each successful discovery. The worker writes it, the API returns it, the power engine reads
 * VMs and autostart order from it. Plain JSON only (`null`, never `undefined`), and no secret:
 * the NUT password UserVar is recorded as set/unset, never with its value.
 *
 * Bump HOST_FACTS_SCHEMA_VERSION on an incompatible change; readers check it with `isHostFacts`.
 */
export const HOST_FACTS_SCHEMA_VERSION = 1;

/** The UserVar whose value is a secret (NUT password): stored as `{ secret: true, set }`. */
export const SECRET_NUT_USER_VARS: readonly string[] = ['NutPassword'];

export type HostFacts = {
  readonly schemaVersion: typeof HOST_FACTS_SCHEMA_VERSION;
  /** ISO-8601 time the facts were read. */
  readonly discoveredAt: string;
  /** `esxcli system version get`. */
  readonly esxi: EsxiVersionFacts;
  /** `esxcli network nic list`. */
  readonly nics: readonly NicFacts[];
  /** `vim-cmd vmsvc/getallvms` + `power.getstate` + `get.guest` per VM, by VM id. */
  readonly vms: readonly VmFacts[];
  /** VM ids vim-cmd reported as invalid (orphaned or inaccessible). */
  readonly invalidVmIds: readonly number[];
  /** `vim-cmd hostsvc/autostartmanager/get_defaults` and `get_autostartseq` (by startOrder). */
  readonly autostart: AutostartFacts;
  /** NutClient-ESXi VIB (`upsmon`) from `esxcli software vib list`. */
  readonly nutClient: NutClientFacts;
  /** `/UserVars/Nut*` from `esxcli system settings advanced list -t /UserVars`, by name. */
  readonly nutUserVars: Readonly<Record<string, NutUserVarFacts>>;
  /** `esxcli software acceptance get`, e.g. "PartnerSupported". */
  readonly acceptanceLevel: string;
  /** `esxcli system maintenanceMode get`. */
  readonly maintenanceMode: boolean;
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

export type AutostartFacts = {
  readonly defaults: {
    readonly enabled: boolean;
    readonly startDelay: number;
    readonly stopDelay: number;
    readonly waitForHeartbeat: boolean;
    readonly stopAction: string;
  };
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
