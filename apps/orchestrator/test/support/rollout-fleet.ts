import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import { buildVibFixture, type SimulatedHost, waitFor } from '@nutfleet/testing';

import { type ApiTestApp } from './api-test-app';

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

/** Uploads a VIB fixture of that version as an admin; its artifact id. */
export async function uploadVib(api: ApiTestApp, version = '2.8.5-2.7.3'): Promise<string> {
  const vib = buildVibFixture({ version });
  const response = await fetch(`${api.base}/artifacts?fileName=${encodeURIComponent(`upsmon-${version}.vib`)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/octet-stream' },
    body: vib.bytes,
  });
  const text = await response.text();
  assert.equal(response.status, 201, text);
  return (JSON.parse(text) as { id: string }).id;
}

/** Creates a rollout as an operator (no canary, 10 in flight unless given) and waits for its end. */
export async function runRollout(api: ApiTestApp, body: Record<string, unknown>): Promise<RolloutView> {
  const created = await api.call<RolloutView>('POST', '/rollouts', {
    token: api.tokens.operator,
    body: { canaryCount: 0, maxInFlight: 10, ...body },
  });
  assert.equal(created.status, 201, created.text);
  return waitRolloutDone(async () => (await api.call<RolloutView>('GET', `/rollouts/${created.body.id}`)).body);
}

/** The whole fleet through the discovery job path, as an administrator would; every host must succeed. */
export async function discoverAll(api: ApiTestApp, hosts: number): Promise<void> {
  const queued = await api.call<{ runId: string; total: number }>('POST', '/hosts/discover', {
    token: api.tokens.operator,
    body: {},
  });
  assert.equal(queued.status, 202, queued.text);
  assert.equal(queued.body.total, hosts);
  await waitFor(
    'discovery run to finish',
    async () => {
      const run = await api.call<{ state: string; succeeded: number; failed: number }>(
        'GET',
        `/discovery-runs/${queued.body.runId}`,
      );
      if (run.body.state !== 'finished') return false;
      assert.deepEqual(
        { succeeded: run.body.succeeded, failed: run.body.failed },
        { succeeded: hosts, failed: 0 },
        run.text,
      );
      return true;
    },
    30_000,
    100,
  );
}
