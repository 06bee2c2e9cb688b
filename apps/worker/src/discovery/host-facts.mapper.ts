import {
  type AdvancedOption,
  type AutoStartDefaults,
  type AutoStartEntry,
  type EsxiVersion,
  type PhysicalNic,
  type VibSummary,
  type VmInventory,
  type VmPowerState,
} from '@nutfleet/esxi';
import {
  HOST_FACTS_SCHEMA_VERSION,
  type HostFacts,
  type NutUserVarFacts,
  SECRET_NUT_USER_VARS,
  type VmToolsStateFact,
} from '@nutfleet/db';

/** The NutClient-ESXi VIB name (`Margar_bootbank_upsmon_<version>`). */
export const NUT_CLIENT_VIB_NAME = 'upsmon';

/** Everything discovery read from one host, as the libs/esxi parsers return it. */
export interface HostReadings {
  readonly version: EsxiVersion;
  readonly nics: readonly PhysicalNic[];
  readonly vms: VmInventory;
  /** By VM id. */
  readonly powerStates: ReadonlyMap<number, VmPowerState>;
  /** By VM id. */
  readonly toolsStates: ReadonlyMap<number, VmToolsStateFact>;
  readonly autostartDefaults: AutoStartDefaults;
  readonly autostartSequence: readonly AutoStartEntry[];
  readonly vibs: readonly VibSummary[];
  /** Options under /UserVars (any name; only Nut* are kept). */
  readonly userVars: readonly AdvancedOption[];
  readonly acceptanceLevel: string;
  readonly maintenanceMode: boolean;
}

/** What a successful discovery writes to the Host row. */
export interface DiscoveredHost {
  readonly facts: HostFacts;
  readonly esxiVersion: string;
  readonly esxiBuild: string;
  /** null when the NutClient VIB is not installed. */
  readonly vibVersion: string | null;
  /** MAC addresses of the physical NICs, in NIC order, without duplicates. */
  readonly macAddresses: readonly string[];
}

/** Pure: readings in, the stored shape out (secrets dropped, `undefined` turned into `null`). */
export function buildDiscoveredHost(readings: HostReadings, discoveredAt: Date): DiscoveredHost {
  const vib = readings.vibs.find((v) => v.name === NUT_CLIENT_VIB_NAME);
  const facts: HostFacts = {
    schemaVersion: HOST_FACTS_SCHEMA_VERSION,
    discoveredAt: discoveredAt.toISOString(),
    esxi: {
      product: readings.version.product,
      version: readings.version.version,
      build: readings.version.build,
      buildNumber: readings.version.buildNumber ?? null,
      update: readings.version.update ?? null,
      patch: readings.version.patch ?? null,
    },
    nics: readings.nics.map((nic) => ({
      name: nic.name,
      macAddress: nic.macAddress,
      driver: nic.driver,
      adminStatus: nic.adminStatus,
      linkStatus: nic.linkStatus,
      speedMbps: nic.speedMbps ?? null,
      mtu: nic.mtu ?? null,
      description: nic.description,
    })),
    vms: readings.vms.vms.map((vm) => {
      const powerState = readings.powerStates.get(vm.id);
      if (powerState === undefined) throw new Error(`no power state was read for VM ${vm.id}`);
      return {
        id: vm.id,
        name: vm.name,
        file: vm.file,
        guestOs: vm.guestOs,
        hwVersion: vm.version,
        powerState,
        tools: readings.toolsStates.get(vm.id) ?? 'unknown',
      };
    }),
    invalidVmIds: [...readings.vms.invalidVmIds],
    autostart: {
      defaults: { ...readings.autostartDefaults },
      sequence: readings.autostartSequence.map((entry) => ({ ...entry })),
    },
    nutClient: vib
      ? {
          installed: true,
          version: vib.version,
          vendor: vib.vendor,
          acceptanceLevel: vib.acceptanceLevel,
          installDate: vib.installDate ?? null,
        }
      : { installed: false },
    nutUserVars: nutUserVars(readings.userVars),
    acceptanceLevel: readings.acceptanceLevel,
    maintenanceMode: readings.maintenanceMode,
  };
  return {
    facts,
    esxiVersion: readings.version.version,
    esxiBuild: readings.version.build,
    vibVersion: vib?.version ?? null,
    macAddresses: [...new Set(readings.nics.map((nic) => nic.macAddress))],
  };
}

/** `/UserVars/Nut*` by name; the NUT password keeps only whether it is set. */
export function nutUserVars(options: readonly AdvancedOption[]): Record<string, NutUserVarFacts> {
  const result: Record<string, NutUserVarFacts> = {};
  for (const option of options) {
    const name = /^\/UserVars\/(Nut[A-Za-z0-9_]*)$/.exec(option.path)?.[1];
    if (name === undefined) continue;
    if (SECRET_NUT_USER_VARS.includes(name)) {
      result[name] = { type: 'secret', set: (option.stringValue ?? '') !== '' };
    } else if (/^int/i.test(option.type)) {
      result[name] = { type: 'integer', value: option.intValue ?? null, default: option.defaultIntValue ?? null };
    } else {
      result[name] = {
        type: 'string',
        value: option.stringValue ?? null,
        default: option.defaultStringValue ?? null,
      };
    }
  }
  return result;
}
