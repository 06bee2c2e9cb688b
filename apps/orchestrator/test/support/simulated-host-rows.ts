import { randomUUID } from 'node:crypto';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import { type SimulatedHost } from '@nutfleet/testing';

export interface SimHostRowOptions {
  /** Pin the simulator's current key and mark the host TRUSTED. Default false. */
  trusted?: boolean;
  /** Store this password instead of the simulator's. */
  password?: string;
  tags?: string[];
}

/** Inserts a Host row pointing at a simulated host, with sealed credentials (as the API would). */
export async function insertSimHost(
  prisma: PrismaClient,
  secretKey: Buffer,
  sim: SimulatedHost,
  options: SimHostRowOptions = {},
): Promise<string> {
  const id = randomUUID();
  await prisma.host.create({
    data: {
      id,
      name: `${sim.id}-${id.slice(0, 8)}`,
      address: sim.address,
      sshPort: sim.port,
      username: sim.username,
      passwordEnc: sealSecret(options.password ?? sim.password, secretKey, `host:${id}:password`),
      hostKeyFingerprint: options.trusted ? sim.fingerprint : null,
      trustState: options.trusted ? 'TRUSTED' : 'UNTRUSTED',
      tags: options.tags ?? [],
    },
  });
  return id;
}
