import { allReadsOk, HOST_FACTS_SCHEMA_VERSION, type HostFacts, type NutUserVarFacts } from '@nutfleet/db';

export interface ScreenVm {
  readonly id: number;
  readonly name: string;
  readonly on: boolean;
  readonly tools: 'running' | 'notRunning' | 'notInstalled' | 'unknown';
  /** Start order in the host's autostart sequence; absent: not in it. */
  readonly startOrder?: number;
}

/** Discovery facts as the worker writes them, for a host the dashboard tests show. */
export function screenHostFacts(
  vms: readonly ScreenVm[],
  nics: ReadonlyArray<{ name: string; mac: string }>,
  nutUserVars: Readonly<Record<string, NutUserVarFacts>> = {},
): HostFacts {
  const at = new Date().toISOString();
  return {
    schemaVersion: HOST_FACTS_SCHEMA_VERSION,
    discoveredAt: at,
    reads: allReadsOk(at),
    esxi: { product: 'VMware ESXi', version: '8.0.3', build: 'Releasebuild-1', buildNumber: 1, update: 3, patch: 0 },
    nics: nics.map((n) => ({
      name: n.name,
      macAddress: n.mac,
      driver: 'ixgben',
      adminStatus: 'Up',
      linkStatus: 'Up',
      speedMbps: 10_000,
      mtu: 1500,
      description: 'Intel X550',
    })),
    vms: vms.map((vm) => ({
      id: vm.id,
      name: vm.name,
      file: `[datastore1] ${vm.name}/${vm.name}.vmx`,
      guestOs: 'debian12_64Guest',
      hwVersion: 'vmx-19',
      powerState: vm.on ? 'poweredOn' : 'poweredOff',
      tools: vm.tools,
    })),
    invalidVmIds: [],
    autostart: {
      defaults: { enabled: true, startDelay: 120, stopDelay: 120, waitForHeartbeat: false, stopAction: 'powerOff' },
      sequence: vms
        .filter((vm) => vm.startOrder !== undefined)
        .map((vm) => ({
          vmId: vm.id,
          startOrder: vm.startOrder ?? 0,
          startDelay: -1,
          startAction: 'powerOn',
          stopDelay: -1,
          stopAction: 'systemDefault',
          waitForHeartbeat: 'systemDefault',
        })),
    },
    nutClient: { installed: false },
    nutUserVars,
    acceptanceLevel: 'CommunitySupported',
    maintenanceMode: false,
  };
}
