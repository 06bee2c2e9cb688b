import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type INestApplicationContext } from '@nestjs/common';

import { type PrismaClient, sealSecret } from '@nutfleet/db';
import { buildVibFixture, type EsxiFleet, type SimulatedHost, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './api-test-app';
import { type InsertedNutServer, insertNutServer } from './nut-server-rows';

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

/** An orchestrator, an in-process worker, simulated hosts ready for rollouts and one NUT server. */
export interface RolloutEnv {
  readonly api: ApiTestApp;
  readonly fleet: EsxiFleet;
  /** nut1 (nut1.lan, monitoring user monuser) with the requested UPSes. */
  readonly nut: InsertedNutServer;
  /** Stops everything; the API responses that carried the NUT password (none expected). */
  stop(): Promise<string[]>;
}

/** One simulated host per name (hostname = name, CommunitySupported), no Host row yet. */
export async function startRolloutEnv(options: {
  readonly names: readonly string[];
  readonly seed: string;
  readonly upses: readonly string[];
  readonly nutPassword: string;
}): Promise<RolloutEnv> {
  const storage = mkdtempSync(join(tmpdir(), `nutfleet-${options.seed}-`));
  const api = await startApiTestApp({ ARTIFACT_STORAGE_DIR: storage, PLAN_RECONCILE_INTERVAL_MS: '1000' });
  let worker: INestApplicationContext | undefined;
  let fleet: EsxiFleet | undefined;
  const stop = async (): Promise<string[]> => {
    await worker?.close();
    await fleet?.stop();
    const leaked = api.responses.filter((body) => body.includes(options.nutPassword));
    await api.close();
    rmSync(storage, { recursive: true, force: true });
    return leaked;
  };
  try {
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({
      hosts: options.names.map((hostname) => ({ acceptanceLevel: 'CommunitySupported' as const, hostname })),
      seed: options.seed,
    });
    const nut = await insertNutServer(api.db.prisma, api.config.secretKey, {
      name: 'nut1',
      host: 'nut1.lan',
      username: 'monuser',
      password: options.nutPassword,
      upses: [...options.upses],
    });
    return { api, fleet, nut, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
