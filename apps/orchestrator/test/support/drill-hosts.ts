import { randomUUID } from 'node:crypto';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import { type EsxiFleet, simulatedHostFacts } from '@nutfleet/testing';

/**
 * Inserts simulated host `i` of `fleet` as a drillable host of a group: trusted (pinned key),
 * sealed password, its MAC and the fleet's Wake-on-LAN address, discovered facts, stage and wave 0.
 */
export async function insertDrillHost(
  prisma: PrismaClient,
  secretKey: Buffer,
  fleet: EsxiFleet,
  i: number,
  groupId: string,
): Promise<string> {
  const sim = fleet.host(i);
  const id = randomUUID();
  await prisma.host.create({
    data: {
      id,
      name: `drill-${i}`,
      address: sim.address,
      sshPort: sim.port,
      username: sim.username,
      passwordEnc: sealSecret(sim.password, secretKey, `host:${id}:password`),
      hostKeyFingerprint: sim.fingerprint,
      trustState: 'TRUSTED',
      macAddresses: [sim.mac],
      wolBroadcast: fleet.wolAddress,
      wolPort: fleet.wolPort,
      shutdownStage: 0,
      restartWave: 0,
      groupId,
      facts: simulatedHostFacts(sim),
    },
  });
  return id;
}
