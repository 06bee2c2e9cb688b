/**
 * The stateful model of one ESXi host: what esxcli and vim-cmd read and change. No I/O here;
 * the SSH side (simulated-host.ts) turns commands into calls on this model.
 */
import { EventEmitter } from 'node:events';
import { AdvancedSettings } from './advanced-settings';
import { ESXI_VERSION_PROFILES, type EsxiVersionProfile } from './esxi-version.profiles';
import { HostFilesystem } from './host-filesystem';
import type { HostAcceptanceLevel, HostProfile, VmProfile } from './host-profile';
import { NUT_USER_VAR_NAMES } from './nut-user-vars';
import type { VibDescriptor } from './vib-descriptor';
import type { AutostartDefaults, SimulatedVm } from './virtual-machine';

export type HostPowerState = 'on' | 'shutting-down' | 'off' | 'booting';

export interface InstalledVib {
  descriptor: VibDescriptor;
  installDate: string;
}

export interface CommandLogEntry {
  at: number;
  connectionId: number;
  /** The exec request exactly as received. */
  line: string;
  /** Words of each simple command, as a POSIX shell would split them. */
  argvs: string[][];
  /** `argvs[0]`, the usual case of a single command. */
  argv: string[];
  /** Expansions a shell would have interpreted (`$(…)`, backticks, `$VAR`); empty for a safe client. */
  expansions: string[];
  exitCode?: number;
}

export interface UpsmonStart {
  at: number;
  /** UserVars.Nut* values read by the init script at start (esxcfg-advcfg -q -g). */
  config: Record<string, string | number>;
}

export interface UpsmonServiceState {
  running: boolean;
  startsWithHost: boolean;
  /** Config of the running instance (undefined when stopped). */
  current?: UpsmonStart;
  starts: UpsmonStart[];
  stops: number[];
}

export interface PowerEvent {
  at: number;
  event: string;
  detail?: string;
}

export const ACCEPTANCE_RANK: Readonly<Record<HostAcceptanceLevel, number>> = {
  CommunitySupported: 1,
  PartnerSupported: 2,
  VMwareAccepted: 3,
  VMwareCertified: 4,
};

export const VIB_LEVEL_TO_HOST: Readonly<Record<VibDescriptor['acceptanceLevel'], HostAcceptanceLevel>> = {
  community: 'CommunitySupported',
  partner: 'PartnerSupported',
  accepted: 'VMwareAccepted',
  certified: 'VMwareCertified',
};

export const HOST_LEVEL_TO_VIB: Readonly<Record<HostAcceptanceLevel, VibDescriptor['acceptanceLevel']>> = {
  CommunitySupported: 'community',
  PartnerSupported: 'partner',
  VMwareAccepted: 'accepted',
  VMwareCertified: 'certified',
};

const COMMAND_LOG_LIMIT = 5000;

const DEFAULT_VMS: readonly VmProfile[] = [
  { name: 'nutsrv', guestOs: 'debian11_64Guest', autostart: { startOrder: 1, startAction: 'powerOn' } },
  { name: 'app01', guestOs: 'ubuntu64Guest', autostart: { startOrder: 2, startAction: 'powerOn' } },
  { name: 'legacy', guestOs: 'otherGuest64', tools: false },
];

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export class HostState extends EventEmitter {
  readonly esxi: EsxiVersionProfile;
  readonly hostname: string;
  mac: string;
  acceptanceLevel: HostAcceptanceLevel;
  secureBoot: boolean;
  maintenanceMode: boolean;
  power: HostPowerState = 'on';
  readonly vms: SimulatedVm[];
  autostartDefaults: AutostartDefaults;
  readonly vibs = new Map<string, InstalledVib>();
  readonly settings: AdvancedSettings;
  readonly upsmon: UpsmonServiceState;
  readonly commandLog: CommandLogEntry[] = [];
  /** `ups@server` entries `/opt/nut/bin/upsc` cannot reach (tests add to it). */
  readonly unreachableUpses = new Set<string>();
  readonly powerLog: PowerEvent[] = [];
  private fs?: HostFilesystem;
  private readonly diskFreeBytes: number;

  constructor(profile: HostProfile, hostname: string, mac: string) {
    super();
    this.esxi = ESXI_VERSION_PROFILES[profile.version ?? '8.0'];
    this.hostname = hostname;
    this.mac = mac;
    this.acceptanceLevel = profile.acceptanceLevel ?? 'PartnerSupported';
    this.secureBoot = profile.secureBoot ?? false;
    this.maintenanceMode = profile.maintenanceMode ?? false;
    this.diskFreeBytes = profile.diskFreeBytes ?? 1024 ** 3;
    this.settings = new AdvancedSettings(hostname);
    this.autostartDefaults = {
      enabled: true,
      startDelay: 120,
      stopDelay: 120,
      waitForHeartbeat: false,
      stopAction: 'powerOff',
      ...profile.autostartDefaults,
    };
    this.vms = (profile.vms ?? DEFAULT_VMS).map((vm, i) => HostState.vmFromProfile(vm, i + 1));
    this.upsmon = { running: false, startsWithHost: profile.upsmonStartsWithHost ?? false, starts: [], stops: [] };
    for (const v of profile.installedVibs ?? []) {
      this.vibs.set(v.name, {
        installDate: today(),
        descriptor: {
          type: 'bootbank',
          summary: '',
          description: '',
          releaseDate: '',
          urls: [],
          tags: [],
          maintenanceModeRequired: false,
          liveInstallAllowed: true,
          liveRemoveAllowed: true,
          statelessReady: true,
          overlay: false,
          payloads: [],
          ...v,
        },
      });
    }
  }

  static vmFromProfile(vm: VmProfile, id: number): SimulatedVm {
    return {
      id,
      name: vm.name,
      guestOs: vm.guestOs ?? 'otherGuest64',
      hwVersion: vm.hwVersion ?? 'vmx-19',
      annotation: vm.annotation ?? '',
      datastore: 'datastore1',
      directory: vm.directory ?? vm.name.replace(/[\r\n/\\]/g, '_'),
      power: vm.power ?? 'on',
      tools: vm.tools ?? true,
      guestShutdownMs: vm.guestShutdownMs === undefined ? 300 : vm.guestShutdownMs,
      ...(vm.autostart
        ? {
            autostart: {
              startDelay: -1,
              startAction: 'powerOn',
              stopDelay: -1,
              stopAction: 'systemDefault',
              waitForHeartbeat: 'systemDefault',
              ...vm.autostart,
            },
          }
        : {}),
    };
  }

  get files(): HostFilesystem {
    return (this.fs ??= new HostFilesystem(this.diskFreeBytes));
  }

  vm(id: number): SimulatedVm | undefined {
    return this.vms.find((v) => v.id === id);
  }

  runningVms(): SimulatedVm[] {
    return this.vms.filter((v) => v.power === 'on');
  }

  setVmPower(vm: SimulatedVm, power: SimulatedVm['power']): void {
    if (vm.guestShutdownTimer) clearTimeout(vm.guestShutdownTimer);
    vm.guestShutdownTimer = undefined;
    vm.guestShutdownPending = false;
    vm.power = power;
    this.emit('vm-power', vm);
  }

  /** Starts a guest OS shutdown; the VM powers off after its configured duration (or never). */
  startGuestShutdown(vm: SimulatedVm): void {
    if (vm.guestShutdownPending) return;
    vm.guestShutdownPending = true;
    if (vm.guestShutdownMs === null || vm.neverStops) return;
    vm.guestShutdownTimer = setTimeout(() => this.setVmPower(vm, 'off'), vm.guestShutdownMs);
    vm.guestShutdownTimer.unref();
  }

  /** Waits until the VM is no longer powered on, or the timeout (ms) elapses. */
  waitForVmStop(vm: SimulatedVm, timeoutMs: number): Promise<boolean> {
    if (vm.power !== 'on') return Promise.resolve(true);
    return new Promise((resolve) => {
      const onPower = (changed: SimulatedVm): void => {
        if (changed === vm && vm.power !== 'on') finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (stopped: boolean): void => {
        clearTimeout(timer);
        this.off('vm-power', onPower);
        resolve(stopped);
      };
      this.on('vm-power', onPower);
    });
  }

  /** Values the upsmon init script reads at start. */
  upsmonConfig(): Record<string, string | number> {
    const config: Record<string, string | number> = {};
    for (const name of NUT_USER_VAR_NAMES) {
      const v = this.settings.get(`/UserVars/${name}`);
      if (v !== undefined) config[name] = v;
    }
    return config;
  }

  /** Records an exec request; also emitted as `command` (the CLI streams them to a file). */
  logCommand(entry: CommandLogEntry): void {
    this.commandLog.push(entry);
    this.emit('command', entry);
    if (this.commandLog.length > COMMAND_LOG_LIMIT)
      this.commandLog.splice(0, this.commandLog.length - COMMAND_LOG_LIMIT);
  }

  logPower(event: string, detail?: string): void {
    this.powerLog.push({ at: Date.now(), event, ...(detail !== undefined ? { detail } : {}) });
  }

  /** Cancels pending guest-shutdown timers (host stopping or fleet shutting down). */
  clearTimers(): void {
    for (const vm of this.vms) {
      if (vm.guestShutdownTimer) clearTimeout(vm.guestShutdownTimer);
      vm.guestShutdownTimer = undefined;
    }
  }
}
