/** Options describing one simulated host; everything is optional and has an ESXi-like default. */
import type { EsxiVersionName } from './esxi-version.profiles';
import type { VibDescriptor } from './vib-descriptor';
import type { AutostartDefaults, AutostartEntry } from './virtual-machine';

export type HostAcceptanceLevel = 'VMwareCertified' | 'VMwareAccepted' | 'PartnerSupported' | 'CommunitySupported';
export type SshAuthMethod = 'password' | 'keyboard-interactive' | 'publickey';

export interface VmProfile {
  name: string;
  guestOs?: string;
  hwVersion?: string;
  annotation?: string;
  /**
   * Folder on the datastore. Default: the name, or for a name holding a line break, slash or
   * backslash, the name with those replaced by "_" (a VM renamed to such a name keeps its folder).
   */
  directory?: string;
  /** Defaults to powered on. */
  power?: 'on' | 'off' | 'suspended';
  /** VMware Tools installed and running (required for guest shutdown). Default true. */
  tools?: boolean;
  /** How long a guest shutdown takes, in ms; `null` = never finishes. Default 300 ms. */
  guestShutdownMs?: number | null;
  /** Autostart entry (partial fields take ESXi's defaults: -1 delays, systemDefault actions). */
  autostart?: Partial<AutostartEntry> & { startOrder: number };
}

export interface HostProfile {
  version?: EsxiVersionName;
  hostname?: string;
  username?: string;
  password?: string;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA...`) accepted for publickey auth. */
  authorizedKeys?: string[];
  /** Auth methods the SSH server offers (default: all three, like an ESXi with a key added). */
  authMethods?: SshAuthMethod[];
  mac?: string;
  acceptanceLevel?: HostAcceptanceLevel;
  secureBoot?: boolean;
  maintenanceMode?: boolean;
  vms?: VmProfile[];
  autostartDefaults?: Partial<AutostartDefaults>;
  /** VIBs already installed when the host starts (descriptor fields; date defaults to today). */
  installedVibs?: Array<
    Partial<VibDescriptor> & Pick<VibDescriptor, 'name' | 'version' | 'vendor' | 'acceptanceLevel'>
  >;
  /** Time from a magic packet (or reboot) to SSH answering again. Default 500 ms. */
  bootDelayMs?: number;
  /** NIC answers magic packets when the host is off. Default true. */
  wakeOnLan?: boolean;
  /**
   * Keep the SSH port bound while the host is off, resetting every connection (the client sees
   * ECONNRESET instead of ECONNREFUSED), so that no other test's server takes the port meanwhile
   * on a busy machine. Default false.
   */
  holdPortWhileOff?: boolean;
  /** Bytes of free space on the datastores and /tmp (uploads beyond it fail). Default 1 GiB. */
  diskFreeBytes?: number;
  /** Start the NutClient service at boot (Host Client policy "Start and stop with host"). */
  upsmonStartsWithHost?: boolean;
}
