import { type Socket, createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildMagicPacket } from './magic-packet';
import { parseMacAddress } from './mac-address.parser';
import { WakeOnLanOptionError, WakeOnLanSendError } from './wol.errors';

export interface WakeOnLanOptions {
  readonly mac: string;
  /** Directed subnet broadcast (e.g. 192.168.1.255) is best; IPv6 takes a multicast such as ff02::1%eth0. */
  readonly broadcastAddress: string;
  readonly port?: number;
  readonly count?: number;
  readonly intervalMs?: number;
  readonly secureOn?: Uint8Array | string;
}

export interface WakeOnLanResult {
  readonly mac: string;
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
  /** Packets handed to the kernel. */
  readonly sent: number;
  readonly packet: Buffer;
  readonly sentAt: readonly number[];
}

/**
 * Sends `count` magic packets `intervalMs` apart over UDP (several, because UDP may drop one
 * and a NIC in a low-power state can miss the first). Resolves once every packet was sent.
 */
export async function sendWakeOnLan(options: WakeOnLanOptions): Promise<WakeOnLanResult> {
  const port = options.port ?? 9;
  const count = options.count ?? 3;
  const intervalMs = options.intervalMs ?? 100;
  const address = options.broadcastAddress;
  const version = isIP(address.split('%')[0] ?? '');
  if (version === 0) throw new WakeOnLanOptionError('broadcastAddress', `"${address}" is not an IPv4 or IPv6 address`);
  if (!(Number.isInteger(port) && port >= 1 && port <= 65535))
    throw new WakeOnLanOptionError('port', `must be an integer from 1 to 65535, got ${port}`);
  if (!(Number.isInteger(count) && count >= 1 && count <= 100))
    throw new WakeOnLanOptionError('count', `must be an integer from 1 to 100, got ${count}`);
  if (!(Number.isFinite(intervalMs) && intervalMs >= 0))
    throw new WakeOnLanOptionError('intervalMs', `must be ≥ 0, got ${intervalMs}`);

  const mac = parseMacAddress(options.mac);
  const packet = buildMagicPacket(mac, options.secureOn);
  const family = version === 6 ? 'IPv6' : 'IPv4';
  const socket = createSocket(version === 6 ? 'udp6' : 'udp4');
  const sentAt: number[] = [];
  try {
    await bind(socket);
    // Broadcast is an IPv4 notion; on IPv6 the destination is a multicast group.
    if (version === 4) socket.setBroadcast(true);
    for (let i = 0; i < count; i += 1) {
      if (i > 0 && intervalMs > 0) await sleep(intervalMs);
      await send(socket, packet, port, address);
      sentAt.push(Date.now());
    }
  } finally {
    socket.close();
  }
  return { mac: mac.canonical, address, port, family, sent: sentAt.length, packet, sentAt };
}

function bind(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void =>
      reject(new WakeOnLanSendError(`cannot open the UDP socket: ${error.message}`, { cause: error }));
    socket.once('error', onError);
    socket.bind(() => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function send(socket: Socket, packet: Buffer, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.send(packet, port, address, (error) => {
      if (error)
        reject(new WakeOnLanSendError(`sending to ${address}:${port} failed: ${error.message}`, { cause: error }));
      else resolve();
    });
  });
}
