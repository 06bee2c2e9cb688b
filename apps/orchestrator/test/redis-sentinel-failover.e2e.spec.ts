/**
 * Redis high availability through Sentinels: the orchestrator and a worker process find the
 * master through a Sentinel of this test's own (REDIS_SENTINELS), a failover happens in the
 * middle of an armed shutdown plan, and the plan finishes with every host powered off once;
 * afterwards jobs flow through the new master (not the PostgreSQL fallback).
 */
import assert from 'node:assert/strict';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';

import {
  type AppProcess,
  createTestDatabase,
  type EsxiFleet,
  startAppProcess,
  startEsxiFleet,
  type TestDatabase,
  testConfig,
  ThrowawaySentinelGroup,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { createOrchestratorApp } from '../src/orchestrator.app';
import { insertOutageHost, outageTestEnv, poweroffTimes } from './support/outage-fleet';

const WORKER = 'dist/apps/worker/src/main.js';
const PREFIX = 'nf-sentinel';

describe('Redis Sentinel failover', { timeout: 240_000 }, () => {
  let db: TestDatabase;
  let group: ThrowawaySentinelGroup;
  let fleet: EsxiFleet;
  let app: INestApplication | undefined;
  let worker: AppProcess | undefined;
  let base = '';
  let token = '';
  const hostIds: string[] = [];

  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  const planDone = async (planId: string): Promise<string> => {
    let state = '?';
    await waitFor(
      `plan ${planId} to finish`,
      async () => {
        state = (await db.prisma.plan.findUniqueOrThrow({ where: { id: planId } })).state;
        return state !== 'PENDING' && state !== 'RUNNING';
      },
      90_000,
      200,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nworker: ${worker?.output().slice(-3000) ?? ''}`);
    });
    return state;
  };

  const jobKeysOn = async (port: number): Promise<number> => {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.keys(`${PREFIX}:plans:*`)).length;
    } finally {
      client.disconnect();
    }
  };

  before(async () => {
    [db, group, fleet] = await Promise.all([
      createTestDatabase(),
      ThrowawaySentinelGroup.start(),
      startEsxiFleet({ hosts: 8, seed: 'sentinel-failover', msPerSecond: 50 }),
    ]);
    const env = {
      ...outageTestEnv(db, { url: 'redis://127.0.0.1:1', prefix: PREFIX, cleanup: () => Promise.resolve() }),
      // The URL's host and port are not used with Sentinels: the master comes from them.
      REDIS_SENTINELS: group.sentinels,
      REDIS_SENTINEL_MASTER: group.masterName,
    };
    const config = testConfig(env);
    token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'sentinel-op', role: 'operator' }))).token;
    for (let i = 0; i < 8; i++) {
      // Slow guest shutdowns: the plan is still running when the failover happens.
      for (const vm of fleet.host(i).state.vms) vm.guestShutdownMs = 2000;
      hostIds.push(
        await insertOutageHost(db.prisma, config.secretKey, fleet.host(i), {
          stage: i % 2,
          minSupplies: 1,
          upsIds: [],
        }),
      );
    }
    app = await createOrchestratorApp(config);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
    worker = startAppProcess(WORKER, { ...env, LOG_LEVEL: 'info' });
    await worker.waitForOutput(/worker started/, 30_000);
  });

  after(async () => {
    worker?.child.kill('SIGKILL');
    await app?.close();
    await Promise.all([fleet?.stop(), group?.stop()]);
    await db?.drop();
  });

  test('a failover in the middle of an armed plan: it finishes, every host powered off once', async () => {
    const firstMaster = await group.masterPort();
    const created = await call<{ id: string }>('POST', '/plans/shutdown', {
      targets: { hosts: hostIds.slice(0, 6) },
      mode: 'armed',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await waitFor(
      'the first guest shutdowns under way',
      () =>
        Promise.resolve(fleet.hosts.slice(0, 6).some((h) => h.commandLog.some((c) => /power\.shutdown/.test(c.line)))),
      30_000,
      20,
    );
    assert.ok((await jobKeysOn(firstMaster)) > 0, 'the plan went through the first master');
    const newMaster = await group.failover();
    assert.notEqual(newMaster, firstMaster);

    assert.equal(await planDone(created.body.id), 'SUCCEEDED');
    for (let i = 0; i < 6; i++) {
      assert.equal(poweroffTimes(fleet.host(i)).length, 1, `host ${i} powered off exactly once`);
      assert.equal(fleet.host(i).power, 'off');
    }
  });

  test('after the failover, jobs flow through the new master, not the PostgreSQL fallback', async () => {
    const master = await group.masterPort();
    const before = worker?.output().length ?? 0;
    const created = await call<{ id: string }>('POST', '/plans/shutdown', {
      targets: { hosts: hostIds.slice(6) },
      mode: 'armed',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(await planDone(created.body.id), 'SUCCEEDED');
    for (let i = 6; i < 8; i++) assert.equal(poweroffTimes(fleet.host(i)).length, 1, `host ${i}`);
    assert.doesNotMatch(worker?.output().slice(before) ?? '', /straight from PostgreSQL/);
    assert.ok((await jobKeysOn(master)) > 0, 'the new master holds the jobs');
    const ready = await fetch(`${base}/ready`);
    assert.equal(ready.status, 200, await ready.text());
  });
});
