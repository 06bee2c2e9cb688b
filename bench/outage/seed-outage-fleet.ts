/**
 * The bench's inventory: one NUT server with one UPS, one policy that shuts down on LB, and one
 * trusted host row per simulated host (fingerprint pinned from the simulator's output, sealed
 * password, one feed, stage 0). Facts are left to a real discovery run.
 */
import { randomUUID } from 'node:crypto';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import { type NutTestbed } from '@nutfleet/testing';

import { type SimulatedHostEntry } from '../ssh/simulator-process';

export interface SeededFleet {
  readonly upsId: string;
  readonly hostIdBySimId: ReadonlyMap<string, string>;
}

export async function seedOutageFleet(
  prisma: PrismaClient,
  secretKey: Buffer,
  bed: NutTestbed,
  ups: string,
  hosts: readonly SimulatedHostEntry[],
): Promise<SeededFleet> {
  const serverId = randomUUID();
  await prisma.nutServer.create({
    data: {
      id: serverId,
      name: 'bench-nut',
      host: bed.host,
      port: bed.port,
      username: bed.monitor.username,
      passwordEnc: sealSecret(bed.monitor.password, secretKey, `nutServer:${serverId}:password`),
      upses: { create: [{ name: ups }] },
    },
  });
  const upsId = (await prisma.ups.findFirstOrThrow({ where: { nutServerId: serverId } })).id;
  // Defaults a careful administrator keeps: LB and FSD trigger, blips under 5 s are ignored by
  // the threshold triggers, guest shutdowns get 120 s, power back within 60 s cancels.
  const policy = await prisma.policy.create({
    data: { name: 'on-low-battery', onLowBattery: true, onForcedShutdown: true, pointOfNoReturnSeconds: 60 },
  });
  const rows = hosts.map((h) => {
    const id = randomUUID();
    return {
      id,
      name: h.id,
      address: h.address,
      sshPort: h.port,
      username: h.username,
      passwordEnc: sealSecret(h.password, secretKey, `host:${id}:password`),
      hostKeyFingerprint: h.fingerprint,
      trustState: 'TRUSTED' as const,
      // One stage: the bench measures reaction, not the administrator's ordering (a later stage
      // starts only once the earlier one is down, minutes later by design).
      shutdownStage: 0,
      minSupplies: 1,
      policyId: policy.id,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await prisma.host.createMany({ data: rows.slice(i, i + 500) });
  await prisma.powerFeed.createMany({ data: rows.map((r) => ({ hostId: r.id, upsId, powerValue: 1 })) });
  return { upsId, hostIdBySimId: new Map(rows.map((r) => [r.name, r.id])) };
}
