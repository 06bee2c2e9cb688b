import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { buildVibFixture, deleteKeysStartingWith, type EsxiFleet, startEsxiFleet, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { insertFedHost, type RolloutView, vibTransactions, waitRolloutDone } from './support/rollout-fleet';
import { insertNutServer } from './support/nut-server-rows';

const HOSTS = 8;
/** Index of the extra host of the second test, outside the `bulk` tag of the first. */
const RACE = HOSTS;

describe('rollout survives its Redis keys deleted mid-rollout (PostgreSQL is the truth)', { timeout: 120_000 }, () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let fleet: EsxiFleet;
  const storage = mkdtempSync(join(tmpdir(), 'nutfleet-redis-loss-'));
  let artifactId = '';
  let raceHostId = '';
  const getView = async (id: string) => (await api.call<RolloutView>('GET', `/rollouts/${id}`)).body;
  const create = async (body: Record<string, unknown>): Promise<string> => {
    const created = await api.call<RolloutView>('POST', '/rollouts', {
      token: api.tokens.operator,
      body: { action: 'install', artifactId, canaryCount: 0, maxInFlight: 4, maxFailureRatio: 0, ...body },
    });
    assert.equal(created.status, 201, created.text);
    return created.body.id;
  };

  before(async () => {
    api = await startApiTestApp({ ARTIFACT_STORAGE_DIR: storage, PLAN_RECONCILE_INTERVAL_MS: '500' });
    worker = await createWorkerApp(api.config);
    fleet = await startEsxiFleet({
      hosts: Array.from({ length: HOSTS + 1 }, (_, i) => ({
        acceptanceLevel: 'CommunitySupported' as const,
        hostname: i === RACE ? 'race' : `r${i}`,
      })),
      seed: 'redis-loss',
    });
    const nut = await insertNutServer(api.db.prisma, api.config.secretKey, {
      name: 'nut1',
      host: 'nut1.lan',
      username: 'monuser',
      password: 'secret',
      upses: ['ups1'],
    });
    for (let i = 0; i < HOSTS; i++) {
      // Every command takes 100 ms: a host's deploy lasts a few seconds, so the deletion lands mid-deploy.
      fleet.host(i).injectFault({ kind: 'slow-commands', delayMs: 100 });
      await insertFedHost(api.db.prisma, api.config.secretKey, fleet.host(i), {
        upsIds: [nut.upsId('ups1')],
        name: `r${i}`,
        tags: ['bulk'],
      });
    }
    raceHostId = await insertFedHost(api.db.prisma, api.config.secretKey, fleet.host(RACE), {
      upsIds: [nut.upsId('ups1')],
      name: 'race',
      tags: ['race'],
    });
  });

  after(async () => {
    await worker?.close();
    await fleet?.stop();
    await api?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  test('the reconciler re-enqueues from PostgreSQL: the rollout completes, every host installed exactly once', async () => {
    const vib = buildVibFixture();
    // Raw bytes: the JSON/text call helper cannot carry a binary body.
    const response = await fetch(`${api.base}/artifacts?fileName=${vib.fileName}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/octet-stream' },
      body: vib.bytes,
    });
    assert.equal(response.status, 201);
    artifactId = ((await response.json()) as { id: string }).id;
    const id = await create({ target: { tags: ['bulk'] } });
    const get = () => getView(id);

    // Delete while some hosts are mid-deploy (part of their journal written) and others not started.
    await waitFor(
      'hosts mid-deploy',
      async () => (await get()).hosts.some((h) => h.state === 'RUNNING' && h.steps.length >= 2),
      30_000,
      50,
    );
    const deleted = await deleteKeysStartingWith(api.config.redis.url, `${api.config.redis.keyPrefix}:`);
    const atDeletion = await get();
    assert.ok(deleted > 0, 'the rollout had keys in Redis');
    assert.ok(
      atDeletion.hosts.some((h) => h.state === 'RUNNING'),
      'the deletion landed while hosts were running',
    );
    assert.ok(
      atDeletion.hosts.some((h) => h.state === 'PENDING' || h.state === 'QUEUED'),
      'some hosts had not started',
    );

    const done = await waitRolloutDone(get, 60_000);
    assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts.filter((h) => h.state !== 'SUCCEEDED')));
    for (let i = 0; i < HOSTS; i++) {
      const h = fleet.host(i);
      assert.equal(vibTransactions(h).length, 1, `${h.id}: installed exactly once (${vibTransactions(h).join(' | ')})`);
      assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3', `${h.id}: installed`);
      assert.equal(h.state.upsmon.running, true, `${h.id}: service running`);
    }
  });

  test('a host whose install is in flight when the keys go is not installed a second time by the re-enqueued job', async () => {
    const h = fleet.host(RACE);
    // Only the install is slow: the re-enqueued job reaches its install step while the first one's is still on the host.
    h.injectFault({ kind: 'slow-commands', delayMs: 3000, match: /vib\W+install/, times: 1 });
    const id = await create({ target: { hosts: [raceHostId] } });
    await waitFor('the install to be on its way to the host', async () => vibTransactions(h).length === 1, 30_000, 20);
    assert.ok((await deleteKeysStartingWith(api.config.redis.url, `${api.config.redis.keyPrefix}:`)) > 0);

    const done = await waitRolloutDone(() => getView(id), 60_000);
    assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
    assert.equal(vibTransactions(h).length, 1, `installed exactly once (${vibTransactions(h).join(' | ')})`);
    assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3');
    assert.equal(h.state.upsmon.running, true);
  });
});
