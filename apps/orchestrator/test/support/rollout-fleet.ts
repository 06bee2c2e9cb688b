import { randomUUID } from 'node:crypto';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import { type SimulatedHost, waitFor } from '@nutfleet/testing';

/** A trusted host row for a simulated host, fed by `upsIds`. */
export async function insertFedHost(
  prisma: PrismaClient,
  key: Buffer,
  sim: SimulatedHost,
  options: { upsIds: string[]; tags?: string[]; password?: string; name?: string },
): Promise<string> {
  const id = randomUUID();
  await prisma.host.create({
    data: {
      id,
      name: options.name ?? sim.id,
      address: sim.address,
      sshPort: sim.port,
      username: sim.username,
      passwordEnc: sealSecret(options.password ?? sim.password, key, `host:${id}:password`),
      hostKeyFingerprint: sim.fingerprint,
      trustState: 'TRUSTED',
      tags: options.tags ?? [],
      feeds: { create: options.upsIds.map((upsId) => ({ upsId })) },
    },
  });
  return id;
}

export interface RolloutView {
  id: string;
  planId: string;
  state: string;
  counts: Record<string, number>;
  stoppedReason: string | null;
  hosts: Array<{
    hostId: string;
    hostName: string;
    wave: number;
    state: string;
    currentStep: string | null;
    steps: Array<{ step: string; outcome: string; summary: string }>;
    output: string | null;
    error: string | null;
  }>;
}

export async function waitRolloutDone(get: () => Promise<RolloutView>, timeoutMs = 60_000): Promise<RolloutView> {
  let view: RolloutView | undefined;
  await waitFor(
    'rollout to finish',
    async () => {
      view = await get();
      return !['PENDING', 'RUNNING'].includes(view.state);
    },
    timeoutMs,
    100,
  );
  if (!view) throw new Error('no rollout');
  return view;
}

/** Command lines as the simulated shell split them. */
export function commandLines(h: SimulatedHost, since = 0): string[] {
  return h.commandLog.slice(since).map((e) => e.argvs.map((argv) => argv.join(' ')).join(' ; '));
}

export const READ_ONLY_COMMAND =
  /^(esxcli system version get|esxcli software vib get|esxcli (--formatter=csv )?software vib list|esxcli software acceptance get|esxcli system settings advanced list|\/etc\/init\.d\/upsmon status|\/opt\/nut\/bin\/upsc |\/usr\/lib\/vmware\/secureboot\/bin\/secureBoot\.py -s|sha256sum |stat |ls |test )/;

export function vibTransactions(h: SimulatedHost): string[] {
  return h.commandLog
    .filter(
      (e) =>
        e.argv[0] === 'esxcli' && e.argv.includes('vib') && (e.argv.includes('install') || e.argv.includes('update')),
    )
    .map((e) => e.argv.join(' '));
}
