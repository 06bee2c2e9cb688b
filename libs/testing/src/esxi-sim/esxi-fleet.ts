/**
 * `startEsxiFleet()`: N simulated ESXi hosts in this process, each its own SSH server on a
 * loopback port (or its own 127.x.y.z address), sharing one Wake-on-LAN UDP port.
 */
import { randomBytes } from 'node:crypto';
import type { EsxiFault, EsxiFaultKind } from './fault-injection';
import { createEd25519HostKey, seededBytes } from './host-key.factory';
import type { HostProfile } from './host-profile';
import { SimulatedHost, type SimulatedHostInfo } from './simulated-host';
import { WakeOnLanListener } from './wake-on-lan.listener';

export interface EsxiFleetOptions {
  /** Number of hosts, or one profile per host. */
  hosts: number | HostProfile[];
  /** Profile fields applied to every host (a per-host profile overrides them). */
  defaults?: HostProfile;
  /** Per-index profile, e.g. to mix ESXi versions. */
  profileFor?: (index: number) => HostProfile;
  /** Host i listens on basePort + i (or on basePort at its own address). Default: free ports. */
  basePort?: number;
  /** Give each host its own 127.x.y.z address instead of its own port on 127.0.0.1. */
  distinctAddresses?: boolean;
  /** Makes keys, passwords and MACs identical from run to run. */
  seed?: string;
  /** UDP port for magic packets on 127.0.0.1. Default: a free port (see fleet.wolPort). */
  wolPort?: number;
  /**
   * Also listen on this loopback broadcast address (same port), e.g. 127.255.255.255: a packet
   * sent to a directed broadcast reaches only sockets bound to it (or to 0.0.0.0).
   */
  wolBroadcastAddress?: string;
  /** Real milliseconds per ESXi second for autostart delays and timeouts. Default 1000. */
  msPerSecond?: number;
}

export interface EsxiFleet {
  readonly hosts: readonly SimulatedHost[];
  readonly wolAddress: string;
  readonly wolPort: number;
  host(idOrIndex: string | number): SimulatedHost;
  info(): SimulatedHostInfo[];
  injectFault(idOrIndex: string | number, fault: EsxiFault): void;
  clearFaults(idOrIndex?: string | number, kind?: EsxiFaultKind): void;
  stop(): Promise<void>;
}

function addressFor(index: number): string {
  const n = index + 1;
  return `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

function macFor(index: number): string {
  const bytes = [0x00, 0x25, 0x90, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function passwordFor(seed: string | undefined, index: number): string {
  const bytes = seed === undefined ? randomBytes(9) : seededBytes(seed, `password-${index}`, 9);
  return `Esx-${bytes.toString('base64url')}`;
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export async function startEsxiFleet(options: EsxiFleetOptions): Promise<EsxiFleet> {
  const count = typeof options.hosts === 'number' ? options.hosts : options.hosts.length;
  const msPerSecond = options.msPerSecond ?? 1000;
  const hosts: SimulatedHost[] = [];
  for (let i = 0; i < count; i++) {
    const profile: HostProfile = {
      ...options.defaults,
      ...options.profileFor?.(i),
      ...(typeof options.hosts === 'number' ? {} : options.hosts[i]),
    };
    const id = profile.hostname ?? `esx-${String(i + 1).padStart(4, '0')}`;
    const hostKey = createEd25519HostKey(
      options.seed === undefined ? undefined : seededBytes(options.seed, `hostkey-${i}`),
      `root@${id}`,
    );
    const port =
      options.basePort === undefined ? 0 : options.distinctAddresses ? options.basePort : options.basePort + i;
    hosts.push(
      new SimulatedHost(
        {
          index: i,
          id,
          address: options.distinctAddresses ? addressFor(i) : '127.0.0.1',
          port,
          username: profile.username ?? 'root',
          password: profile.password ?? passwordFor(options.seed, i),
          mac: (profile.mac ?? macFor(i)).toLowerCase(),
          hostKey,
        },
        profile,
        msPerSecond,
      ),
    );
  }
  const byMac = new Map<string, SimulatedHost[]>();
  for (const h of hosts) byMac.set(h.mac, [...(byMac.get(h.mac) ?? []), h]);
  const wol = new WakeOnLanListener((mac) => {
    for (const h of byMac.get(mac) ?? []) h.receiveMagicPacket();
  });
  const wolAddress = '127.0.0.1';
  const wolBroadcast =
    options.wolBroadcastAddress === undefined
      ? undefined
      : new WakeOnLanListener((mac) => {
          for (const h of byMac.get(mac) ?? []) h.receiveMagicPacket();
        });
  let wolPort = 0;
  try {
    wolPort = await wol.listen(options.wolPort ?? 0, wolAddress);
    if (wolBroadcast !== undefined && options.wolBroadcastAddress !== undefined)
      await wolBroadcast.listen(wolPort, options.wolBroadcastAddress);
    await inBatches(hosts, 100, (h) => h.listen());
  } catch (e) {
    await Promise.all(hosts.map((h) => h.stop()));
    await wol.close();
    await wolBroadcast?.close();
    throw e;
  }

  const find = (idOrIndex: string | number): SimulatedHost => {
    const h = typeof idOrIndex === 'number' ? hosts[idOrIndex] : hosts.find((x) => x.id === idOrIndex);
    if (!h) throw new Error(`no simulated host ${String(idOrIndex)}`);
    return h;
  };

  return {
    hosts,
    wolAddress,
    wolPort,
    host: find,
    info: () => hosts.map((h) => h.info()),
    injectFault: (idOrIndex, fault) => find(idOrIndex).injectFault(fault),
    clearFaults: (idOrIndex, kind) => {
      for (const h of idOrIndex === undefined ? hosts : [find(idOrIndex)]) h.clearFaults(kind);
    },
    stop: async () => {
      await Promise.all(hosts.map((h) => h.stop()));
      await wol.close();
      await wolBroadcast?.close();
    },
  };
}
