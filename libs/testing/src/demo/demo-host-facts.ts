import { allReadsOk, HOST_FACTS_SCHEMA_VERSION, type HostFacts } from '@nutfleet/db';

import { type SimulatedHost, vmFile } from '../esxi-sim';

/** Host.facts as discovery would write them, read from a simulated host's model. */
export function simulatedHostFacts(sim: SimulatedHost): HostFacts {
  const vms = sim.state.vms;
  const at = new Date().toISOString();
  return {
    schemaVersion: HOST_FACTS_SCHEMA_VERSION,
    discoveredAt: at,
    reads: allReadsOk(at),
    esxi: { product: 'VMware ESXi', version: '8.0.3', build: 'Releasebuild-1', buildNumber: 1, update: 3, patch: 0 },
    nics: [],
    vms: vms.map((vm) => ({
      id: vm.id,
      name: vm.name,
      file: vmFile(vm),
      guestOs: vm.guestOs,
      hwVersion: vm.hwVersion,
      powerState: vm.power === 'on' ? 'poweredOn' : vm.power === 'off' ? 'poweredOff' : 'suspended',
      tools: vm.tools ? 'running' : 'notInstalled',
    })),
    invalidVmIds: [],
    autostart: {
      defaults: {
        enabled: sim.state.autostartDefaults.enabled,
        startDelay: sim.state.autostartDefaults.startDelay,
        stopDelay: sim.state.autostartDefaults.stopDelay,
        waitForHeartbeat: false,
        stopAction: 'powerOff',
      },
      sequence: vms
        .filter((vm) => vm.autostart !== undefined)
        .map((vm) => ({
          vmId: vm.id,
          startOrder: vm.autostart?.startOrder ?? 0,
          startDelay: -1,
          startAction: 'powerOn',
          stopDelay: -1,
          stopAction: 'systemDefault',
          waitForHeartbeat: 'systemDefault',
        })),
    },
    nutClient: { installed: false },
    nutUserVars: {},
    acceptanceLevel: 'PartnerSupported',
    maintenanceMode: false,
  };
}
