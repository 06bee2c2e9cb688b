import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';

import {
  type AppProcess,
  buildVibFixture,
  createTestDatabase,
  createTestRedisPrefix,
  type EsxiFleet,
  startAppProcess,
  startEsxiFleet,
  type TestDatabase,
  testConfig,
  type TestRedisPrefix,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { createOrchestratorApp } from '../src/orchestrator.app';
import { insertFedHost, type RolloutView, vibTransactions } from './support/rollout-fleet';
import { insertNutServer } from './support/nut-server-rows';

const WORKER = 'dist/apps/worker/src/main.js';
const HOSTS = 12;

describe('rollout survives the worker killed with kill -9 mid-rollout', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let redis: TestRedisPrefix;
  let fleet: EsxiFleet;
  let app: INestApplication;
  let worker: AppProcess | undefined;
  let base = '';
  let token = '';
  const storage = mkdtempSync(join(tmpdir(), 'nutfleet-kill-'));
  let env: Record<string, string> & { DATABASE_URL: string } = { DATABASE_URL: '' };

  const startWorker = async (): Promise<AppProcess> => {
    const w = startAppProcess(WORKER, { ...env, LOG_LEVEL: 'info' });
    await w.waitForOutput(/worker started/, 30_000);
    return w;
  };
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    raw?: Buffer,
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(raw
          ? { 'content-type': 'application/octet-stream' }
          : body !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
      },
      ...(raw ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  before(async () => {
    db = await createTestDatabase();
    redis = createTestRedisPrefix();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
      POWER_MONITOR_ENABLED: 'false',
      NUTFLEET_DEMO: 'off',
      ARTIFACT_STORAGE_DIR: storage,
      PLAN_RECONCILE_INTERVAL_MS: '1000',
      SHUTDOWN_TIMEOUT_SECONDS: '5',
    };
    const config = testConfig(env);
    token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'kill-test', role: 'admin' }))).token;
    app = await createOrchestratorApp(config);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
    fleet = await startEsxiFleet({
      hosts: Array.from({ length: HOSTS }, (_, i) => ({
        acceptanceLevel: 'CommunitySupported' as const,
        hostname: `k${String(i).padStart(2, '0')}`,
      })),
      seed: 'kill9',
    });
    const nut = await insertNutServer(db.prisma, config.secretKey, {
      name: 'nut1',
      host: 'nut1.lan',
      username: 'monuser',
      password: 'secret',
      upses: ['ups1'],
    });
    for (let i = 0; i < HOSTS; i++) {
      const h = fleet.host(i);
      // Every command takes 120 ms: a host's deploy lasts a few seconds, so the kill lands mid-deploy.
      h.injectFault({ kind: 'slow-commands', delayMs: 120 });
      await insertFedHost(db.prisma, config.secretKey, h, {
        upsIds: [nut.upsId('ups1')],
        name: `k${String(i).padStart(2, '0')}`,
      });
    }
    worker = await startWorker();
  });

  after(async () => {
    worker?.child.kill('SIGKILL');
    await app?.close();
    await fleet?.stop();
    await db?.drop();
    await redis?.cleanup();
    rmSync(storage, { recursive: true, force: true });
  });

  test('after restart: every host installed exactly once, none skipped (simulator command logs)', async () => {
    const vib = buildVibFixture();
    const uploaded = await call<{ id: string }>('POST', `/artifacts?fileName=${vib.fileName}`, undefined, vib.bytes);
    assert.equal(uploaded.status, 201);
    const created = await call<RolloutView>('POST', '/rollouts', {
      action: 'install',
      artifactId: uploaded.body.id,
      target: { all: true },
      canaryCount: 0,
      maxInFlight: 6,
      maxFailureRatio: 0,
    });
    assert.equal(created.status, 201);
    const get = async () => (await call<RolloutView>('GET', `/rollouts/${created.body.id}`)).body;
    // Kill while hosts are mid-deploy: some finished, some running with part of their journal.
    await waitFor(
      'hosts mid-deploy',
      async () => {
        const v = await get();
        return v.hosts.some((h) => h.state === 'RUNNING' && h.steps.length >= 2);
      },
      60_000,
      50,
    );
    const before = await get();
    worker?.child.kill('SIGKILL');
    await worker?.exited;
    const running = before.hosts.filter((h) => h.state === 'RUNNING').length;
    assert.ok(running > 0, 'the kill landed while hosts were running');
    worker = await startWorker();
    let done: RolloutView | undefined;
    await waitFor(
      'rollout to finish after the restart',
      async () => {
        done = await get();
        return !['PENDING', 'RUNNING'].includes(done.state);
      },
      120_000,
      200,
    );
    assert.equal(done?.state, 'SUCCEEDED', JSON.stringify(done?.hosts.filter((h) => h.state !== 'SUCCEEDED')));
    for (let i = 0; i < HOSTS; i++) {
      const h = fleet.host(i);
      assert.equal(vibTransactions(h).length, 1, `${h.id}: installed exactly once (${vibTransactions(h).join(' | ')})`);
      assert.equal(h.state.vibs.get('upsmon')?.descriptor.version, '2.8.5-2.7.3', `${h.id}: installed`);
      assert.equal(h.state.upsmon.running, true, `${h.id}: service running`);
    }
  });
});
