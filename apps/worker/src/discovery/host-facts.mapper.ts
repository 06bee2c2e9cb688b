import { type VibSummary } from '@nutfleet/esxi';
import {
  type FactReadError,
  type FactReadStatus,
  HOST_FACT_READS,
  HOST_FACTS_SCHEMA_VERSION,
  type HostFactRead,
  type HostFacts,
  type NutClientFacts,
  UNKNOWN_AUTOSTART_DEFAULTS,
  type VmFacts,
} from '@nutfleet/db';
import { observeNutUserVars } from '@nutfleet/vib';

import { type HostReadings, type Reading, type VmReadings } from './host-facts.collector';

/** The NutClient-ESXi VIB name (`Margar_bootbank_upsmon_<version>`). */
export const NUT_CLIENT_VIB_NAME = 'upsmon';

/** What a discovery writes to the Host row; `undefined` columns are left as they are. */
export interface DiscoveredHost {
  /** Failed reads hold "unknown" here: the recorder puts back the previous values it has. */
  readonly facts: HostFacts;
  /** Undefined when the version could not be read. */
  readonly esxiVersion: string | undefined;
  readonly esxiBuild: string | undefined;
  /** null when the NutClient VIB is not installed; undefined when the VIB list could not be read. */
  readonly vibVersion: string | null | undefined;
  /** MAC addresses of the physical NICs, in NIC order, without duplicates; undefined when unread. */
  readonly macAddresses: readonly string[] | undefined;
  /** The reads that failed, in HOST_FACT_READS order. */
  readonly failedReads: ReadonlyArray<{ readonly read: HostFactRead; readonly error: FactReadError }>;
}

const value = <T>(reading: Reading<T>): T | undefined => (reading.ok ? reading.value : undefined);

/** Pure: readings in, the stored shape out (secrets dropped, `undefined` turned into `null`). */
export function buildDiscoveredHost(readings: HostReadings, discoveredAt: Date): DiscoveredHost {
  const at = discoveredAt.toISOString();
  const reads = Object.fromEntries(
    HOST_FACT_READS.map((read): [HostFactRead, FactReadStatus] => {
      const reading = readings[read];
      return [
        read,
        reading.ok
          ? { state: 'ok', at, by: 'discovery' }
          : { state: 'failed', at, error: reading.error, valueReadAt: null },
      ];
    }),
  ) as Record<HostFactRead, FactReadStatus>;
  const version = value(readings.esxi);
  const nics = value(readings.nics);
  const vms = value(readings.vms);
  const vibs = value(readings.nutClient);
  const userVars = value(readings.nutUserVars);
  const facts: HostFacts = {
    schemaVersion: HOST_FACTS_SCHEMA_VERSION,
    discoveredAt: at,
    reads,
    esxi: version
      ? {
          product: version.product,
          version: version.version,
          build: version.build,
          buildNumber: version.buildNumber ?? null,
          update: version.update ?? null,
          patch: version.patch ?? null,
        }
      : null,
    nics:
      nics?.map((nic) => ({
        name: nic.name,
        macAddress: nic.macAddress,
        driver: nic.driver,
        adminStatus: nic.adminStatus,
        linkStatus: nic.linkStatus,
        speedMbps: nic.speedMbps ?? null,
        mtu: nic.mtu ?? null,
        description: nic.description,
      })) ?? null,
    vms: vms ? vmFacts(vms) : [],
    invalidVmIds: vms ? [...vms.inventory.invalidVmIds] : [],
    autostart: {
      defaults: readings.autostartDefaults.ok ? { ...readings.autostartDefaults.value } : UNKNOWN_AUTOSTART_DEFAULTS,
      sequence: readings.autostartSequence.ok ? readings.autostartSequence.value.map((entry) => ({ ...entry })) : [],
    },
    nutClient: vibs ? nutClientFacts(vibs.find((v) => v.name === NUT_CLIENT_VIB_NAME)) : null,
    nutUserVars: userVars ? observeNutUserVars(userVars) : null,
    acceptanceLevel: value(readings.acceptanceLevel) ?? null,
    maintenanceMode: value(readings.maintenanceMode) ?? null,
  };
  return {
    facts,
    esxiVersion: version?.version,
    esxiBuild: version?.build,
    vibVersion: vibs ? (vibs.find((v) => v.name === NUT_CLIENT_VIB_NAME)?.version ?? null) : undefined,
    macAddresses: nics ? [...new Set(nics.map((nic) => nic.macAddress))] : undefined,
    failedReads: HOST_FACT_READS.flatMap((read) => {
      const reading = readings[read];
      return reading.ok ? [] : [{ read, error: reading.error }];
    }),
  };
}

/** The NutClient VIB's line of `esxcli software vib list` as stored (absent: not installed). */
export function nutClientFacts(vib: VibSummary | undefined): NutClientFacts {
  return vib
    ? {
        installed: true,
        version: vib.version,
        vendor: vib.vendor,
        acceptanceLevel: vib.acceptanceLevel,
        installDate: vib.installDate ?? null,
      }
    : { installed: false };
}

function vmFacts(readings: VmReadings): VmFacts[] {
  return readings.inventory.vms.map((vm) => {
    const powerState = readings.powerStates.get(vm.id);
    // The collector reads one for every listed VM or fails the whole fact.
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
  });
}

/** "autostartDefaults: vim-cmd on … does not know … (VimCmdUnknownCommandError)", one per failed read. */
export function failedReadsSummary(failed: DiscoveredHost['failedReads']): string {
  return `Discovery incomplete: ${failed.length} of ${HOST_FACT_READS.length} reads failed; the others were recorded. ${failed
    .map((f) => `${f.read}: ${f.error.message} (${f.error.code})`)
    .join('; ')}`;
}
