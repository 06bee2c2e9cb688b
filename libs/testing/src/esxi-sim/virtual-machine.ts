/** A simulated VM and the host's autostart configuration. */
export type VmPowerState = 'on' | 'off' | 'suspended';
export type AutostartStartAction = 'powerOn' | 'none';
export type AutostartStopAction = 'systemDefault' | 'powerOff' | 'guestShutdown' | 'suspend' | 'none';
export type DefaultStopAction = 'powerOff' | 'guestShutdown' | 'suspend' | 'none';

export interface AutostartEntry {
  startOrder: number;
  /** Seconds; -1 = system default. */
  startDelay: number;
  startAction: AutostartStartAction;
  /** Seconds; -1 = system default. */
  stopDelay: number;
  stopAction: AutostartStopAction;
  waitForHeartbeat: 'systemDefault' | 'yes' | 'no';
}

export interface AutostartDefaults {
  enabled: boolean;
  startDelay: number;
  stopDelay: number;
  waitForHeartbeat: boolean;
  stopAction: DefaultStopAction;
}

export interface SimulatedVm {
  id: number;
  name: string;
  guestOs: string;
  hwVersion: string;
  annotation: string;
  datastore: string;
  /** Folder on the datastore: named after the VM at creation (a VM renamed later keeps it). */
  directory: string;
  power: VmPowerState;
  tools: boolean;
  /** Installed but not running in the guest (a crashed or stopped service): tests set it. */
  toolsStopped?: boolean;
  guestShutdownMs: number | null;
  autostart?: AutostartEntry;
  /** Set while a guest shutdown is in progress. */
  guestShutdownTimer?: NodeJS.Timeout;
  guestShutdownPending?: boolean;
  /** Fault: guest shutdown never completes and, if 'ignores-power-off', power.off fails too. */
  neverStops?: 'ignores-guest-shutdown' | 'ignores-power-off';
}

/** Case-insensitive action names, as update_autostartentry accepts them. */
export function parseStopAction(text: string): AutostartStopAction | undefined {
  const map: Record<string, AutostartStopAction> = {
    systemdefault: 'systemDefault',
    poweroff: 'powerOff',
    guestshutdown: 'guestShutdown',
    suspend: 'suspend',
    none: 'none',
  };
  return map[text.toLowerCase()];
}

export function parseStartAction(text: string): AutostartStartAction | undefined {
  const map: Record<string, AutostartStartAction> = { poweron: 'powerOn', none: 'none' };
  return map[text.toLowerCase()];
}

/** "[datastore1] web/web.vmx", as vim-cmd vmsvc/getallvms prints it in the File column. */
export function vmFile(vm: Pick<SimulatedVm, 'datastore' | 'directory'>): string {
  return `[${vm.datastore}] ${vm.directory}/${vm.directory}.vmx`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
