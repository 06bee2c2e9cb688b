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

// A Redis of this test's own, stopped while the leader polls: the leader may keep polling only
// until its lease would have expired, then stops writing; when Redis is back (empty: the
// fencing counter restarts at 0) it leads again with a token above PostgreSQL's.
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

  test('polls until the lease would expire, then stops; leads again once Redis is back', async () => {
    await waitFor(
      'a first reading',
      async () => (await db.prisma.ups.findUniqueOrThrow({ where: { id: upsId } })).status === 'OL',
      15_000,
      200,
    );
    const firstToken = (await get<StatusView>('/power-monitor/status')).body.fencingToken;
    assert.ok(firstToken);

    const stoppedAt = Date.now();
    await redis.stop();
    // Still leading right after (the lease is valid on our clock)...
    assert.equal((await get<StatusView>('/power-monitor/status')).body.leader, true);
    // ...but no longer once it would have expired.
    await waitFor(
      'the leader to stop polling',
      async () => !(await get<StatusView>('/power-monitor/status')).body.leader,
      8000,
      100,
    );
    const stepDown = Date.now() - stoppedAt;
    assert.ok(stepDown <= 3000 + 1500, `stopped after ${stepDown} ms`);
    const status = await get<StatusView>('/power-monitor/status');
    assert.deepEqual(status.body.servers, [], 'no NUT connection is kept');
    const ready = await get<{ down: string[] }>('/ready');
    assert.equal(ready.code, 503);
    assert.deepEqual(ready.body.down, ['redis']);

    // Nothing is recorded while no replica can prove it leads.
    const eventsBefore = await db.prisma.powerEvent.count();
    bed.setStatus('ups1', 'OB');
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await db.prisma.powerEvent.count(), eventsBefore);

    // Redis back, empty: the fencing counter is lifted above PostgreSQL's token and polling resumes.
    await redis.resume();
    await waitFor(
      'leading again',
      async () => (await get<StatusView>('/power-monitor/status')).body.leader,
      15_000,
      200,
    );
    const secondToken = (await get<StatusView>('/power-monitor/status')).body.fencingToken;
    assert.ok(secondToken && BigInt(secondToken) > BigInt(firstToken));
    await waitFor(
      'the OB seen while down to be recorded',
      async () => (await db.prisma.powerEvent.count({ where: { upsId, status: 'OB' } })) === 1,
      10_000,
      200,
    );
  });
});
