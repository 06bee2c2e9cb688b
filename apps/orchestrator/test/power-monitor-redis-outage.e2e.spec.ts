import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';

import {
  createTestDatabase,
  type NutTestbed,
  startNutTestbed,
  type TestDatabase,
  testConfig,
  ThrowawayRedis,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { orchestratorAppForTest } from './support/power-monitor-app';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';

interface StatusView {
  leader: boolean;
  fencingToken: string | null;
  servers: unknown[];
}

// A Redis of this test's own, stopped while the leader polls: the lease and its fencing token
// live in PostgreSQL, so the monitor keeps leading, polling and recording without Redis.
describe('power monitor while Redis is down', () => {
  let db: TestDatabase;
  let redis: ThrowawayRedis;
  let bed: NutTestbed;
  let app: INestApplication | undefined;
  let base: string;
  let token: string;
  let upsId: string;

  const get = async <T>(path: string): Promise<{ code: number; body: T }> => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { code: response.status, body: (await response.json()) as T };
  };

  before(async () => {
    [db, redis, bed] = await Promise.all([createTestDatabase(), ThrowawayRedis.start(), startNutTestbed({ upses: 1 })]);
    const secret = randomBytes(32).toString('hex');
    const config = testConfig({
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      NUTFLEET_SECRET_KEY: secret,
      NUTFLEET_DEMO: 'off',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
      POWER_MONITOR_COMM_LOSS_REPORT_SECONDS: '3',
      READY_CHECK_TIMEOUT_MS: '1000',
    });
    upsId = (await insertNutServer(db.prisma, config.secretKey, testbedServerRow(bed, 'outage', ['ups1']))).upsId(
      'ups1',
    );
    token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'outage-viewer', role: 'viewer' }))).token;
    app = await orchestratorAppForTest(config);
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  after(async () => {
    await app?.close();
    await Promise.all([bed?.stop(), redis?.stop()]);
    await db?.drop();
  });

  test('losing Redis never stops the monitor: it keeps its lease in PostgreSQL, polls and records', async () => {
    await waitFor(
      'a first reading',
      async () => (await db.prisma.ups.findUniqueOrThrow({ where: { id: upsId } })).status === 'OL',
      15_000,
      200,
    );
    const firstToken = (await get<StatusView>('/power-monitor/status')).body.fencingToken;
    assert.ok(firstToken);

    await redis.stop();
    const ready = await get<{ down: string[] }>('/ready');
    assert.equal(ready.code, 503, 'readiness still says Redis is down (queues and the API cache use it)');
    assert.deepEqual(ready.body.down, ['redis']);
    // Three lease periods later it still leads, with the same token, and records what it sees.
    await new Promise((r) => setTimeout(r, 3 * 3000));
    const status = await get<StatusView>('/power-monitor/status');
    assert.equal(status.body.leader, true);
    assert.equal(status.body.fencingToken, firstToken);
    bed.setStatus('ups1', 'OB');
    await waitFor(
      'the OB recorded while Redis is down',
      async () => (await db.prisma.powerEvent.count({ where: { upsId, status: 'OB' } })) === 1,
      10_000,
      200,
    );
    await redis.resume();
    bed.setStatus('ups1', 'OL');
    await waitFor(
      'the OL recorded once Redis is back',
      async () => (await db.prisma.powerEvent.count({ where: { upsId, status: 'OL' } })) >= 1,
      10_000,
      200,
    );
    assert.equal(
      (await get<StatusView>('/power-monitor/status')).body.fencingToken,
      firstToken,
      'one lease, one token',
    );
  });
});
