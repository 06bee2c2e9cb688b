import { HostTrustState, type Prisma, sealSecret } from '@nutfleet/db';

import { normalizeMac } from '../common/network-rules';

/** A host change with references already resolved to ids (REST bodies and import rows alike). */
export interface HostWriteInput {
  name?: string;
  address?: string;
  sshPort?: number;
  username?: string;
  password?: string | null;
  privateKey?: string | null;
  hostKeyFingerprint?: string | null;
  macAddresses?: string[];
  wolBroadcast?: string | null;
  wolPort?: number;
  groupId?: string | null;
  policyId?: string | null;
  tags?: string[];
  shutdownStage?: number;
  restartWave?: number;
  minSupplies?: number;
  feeds?: { upsId: string; powerValue?: number }[];
}

export function hostSecretContext(id: string, field: 'password' | 'privateKey'): string {
  return `host:${id}:${field}`;
}

/** Column values for a create or update; secrets sealed under the record's own context. */
export function hostColumns(id: string, input: HostWriteInput, key: Buffer): Prisma.HostUncheckedUpdateInput {
  const data: Prisma.HostUncheckedUpdateInput = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.address !== undefined) data.address = input.address;
  if (input.sshPort !== undefined) data.sshPort = input.sshPort;
  if (input.username !== undefined) data.username = input.username;
  if (input.password !== undefined)
    data.passwordEnc =
      input.password === null ? null : sealSecret(input.password, key, hostSecretContext(id, 'password'));
  if (input.privateKey !== undefined)
    data.privateKeyEnc =
      input.privateKey === null ? null : sealSecret(input.privateKey, key, hostSecretContext(id, 'privateKey'));
  if (input.hostKeyFingerprint !== undefined) {
    // A fingerprint given by an operator is an explicit trust decision; clearing it untrusts.
    data.hostKeyFingerprint = input.hostKeyFingerprint;
    data.trustState = input.hostKeyFingerprint === null ? HostTrustState.UNTRUSTED : HostTrustState.TRUSTED;
  }
  if (input.macAddresses !== undefined) data.macAddresses = [...new Set(input.macAddresses.map(normalizeMac))];
  if (input.wolBroadcast !== undefined) data.wolBroadcast = input.wolBroadcast;
  if (input.wolPort !== undefined) data.wolPort = input.wolPort;
  if (input.groupId !== undefined) data.groupId = input.groupId;
  if (input.policyId !== undefined) data.policyId = input.policyId;
  if (input.tags !== undefined) data.tags = [...new Set(input.tags)];
  if (input.shutdownStage !== undefined) data.shutdownStage = input.shutdownStage;
  if (input.restartWave !== undefined) data.restartWave = input.restartWave;
  if (input.minSupplies !== undefined) data.minSupplies = input.minSupplies;
  return data;
}

/** Replaces the host's feeds when the input carries them. */
export async function replaceFeeds(tx: Prisma.TransactionClient, hostId: string, input: HostWriteInput): Promise<void> {
  if (input.feeds === undefined) return;
  await tx.powerFeed.deleteMany({ where: { hostId } });
  if (input.feeds.length > 0) {
    await tx.powerFeed.createMany({
      data: input.feeds.map((f) => ({ hostId, upsId: f.upsId, powerValue: f.powerValue ?? 1 })),
    });
  }
}
