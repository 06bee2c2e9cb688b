/**
 * The fleet's Wake-on-LAN "wire": one UDP socket on a loopback port standing for the broadcast
 * domain. Every magic packet (6×0xFF then the MAC 16 times, optionally followed by a SecureOn
 * password) is offered to the hosts; powered-off hosts with that MAC boot.
 */
import { createSocket, type Socket } from 'node:dgram';

export function macsInMagicPacket(packet: Buffer): string[] {
  const found = new Set<string>();
  for (let i = 0; i + 102 <= packet.length; i++) {
    let sync = true;
    for (let k = 0; k < 6 && sync; k++) sync = packet[i + k] === 0xff;
    if (!sync) continue;
    const mac = packet.subarray(i + 6, i + 12);
    let repeated = true;
    for (let r = 1; r < 16 && repeated; r++) repeated = packet.subarray(i + 6 + r * 6, i + 12 + r * 6).equals(mac);
    if (repeated) found.add([...mac].map((b) => b.toString(16).padStart(2, '0')).join(':'));
  }
  return [...found];
}

export class WakeOnLanListener {
  private socket?: Socket;
  packetsReceived = 0;

  constructor(private readonly onMagicPacket: (mac: string) => void) {}

  async listen(port: number, address: string): Promise<number> {
    const socket = createSocket('udp4');
    socket.on('message', (msg) => {
      this.packetsReceived++;
      for (const mac of macsInMagicPacket(msg)) this.onMagicPacket(mac);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
    return socket.address().port;
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
