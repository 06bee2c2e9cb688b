import assert from 'node:assert/strict';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';

import {
  createTestDatabase,
  createTestRedisPrefix,
  type NutTestbed,
  startNutTestbed,
  type TestDatabase,
  type TestRedisPrefix,
  testConfig,
  ThrowawayPostgres,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { createOrchestratorApp } from '../src/orchestrator.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';

const WRITERS = 300;
const STREAMS = 300;

// The safety path against API load: real upsd + dummy-ups polled by the monitor (its own
// database pool), while 300 writers hammer one host and 300 clients hold live streams over HTTP.
describe('the power monitor keeps recording while the API is saturated', () => {
  let t: ApiTestApp;
  let bed: NutTestbed;
  let upsId = '';
  let hostId = '';

  before(async () => {
    bed = await startNutTestbed({ upses: 1 });
    t = await startApiTestApp({
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      SSE_MAX_STREAMS: String(STREAMS + 50),
      SSE_MAX_STREAMS_PER_TOKEN: String(STREAMS + 50),
      AUTH_FAILURE_LIMIT: '1000000',
      // A small API pool, so that the load exhausts it for certain.
      DATABASE_POOL_SIZE: '3',
    });
    const nut = await insertNutServer(t.db.prisma, t.config.secretKey, testbedServerRow(bed, 'nut'));
    upsId = nut.upsId(bed.upsNames[0] as string);
    const host = await t.call<{ id: string }>('POST', '/hosts', {
      token: t.tokens.operator,
      body: { name: 'esx-hot', address: '10.0.0.10', feeds: [{ upsId }] },
    });
    assert.equal(host.status, 201);
    hostId = host.body.id;
    await waitFor(
      'the monitor to record the first reading',
      async () => (await t.db.prisma.powerEvent.count({ where: { upsId, status: 'OL' } })) > 0,
      20_000,
      200,
    );
  });

  after(async () => {
    await t?.close();
    await bed?.stop();
  });

  test(`${WRITERS} concurrent writers and ${STREAMS} SSE clients: no 500, and an outage is recorded within seconds`, async (ctx) => {
    const statuses = new Map<number, number>();
    const count = (status: number): void => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    };
    const retryAfterMissing: number[] = [];
    const controller = new AbortController();
    const streams = Array.from({ length: STREAMS }, (_, i) =>
      fetch(`${t.base}/events/stream`, {
        headers: { authorization: `Bearer ${i % 2 === 0 ? t.tokens.viewer : t.tokens.operator}` },
        signal: controller.signal,
      }).then(
        async (response) => {
          count(response.status);
          if (response.status !== 200) await response.text();
          return response;
        },
        () => undefined,
      ),
    );
    let writing = true;
    const writer = async (i: number): Promise<void> => {
      while (writing) {
        const response = await fetch(`${t.base}/hosts/${hostId}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${t.tokens.operator}`, 'content-type': 'application/json' },
          body: JSON.stringify({ tags: [`w${i}`, `n${Date.now() % 1000}`] }),
        }).catch(() => undefined);
        if (response === undefined) continue;
        count(response.status);
        if (response.status === 503 && response.headers.get('retry-after') === null) retryAfterMissing.push(i);
        await response.text();
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, i) => writer(i));
    // Let the storm build, then cut the power.
    await new Promise((r) => setTimeout(r, 3000));
    const cutAt = Date.now();
    bed.setStatus(bed.upsNames[0] as string, 'OB DISCHRG');
    let recordedAfterMs = -1;
    await waitFor(
      'the monitor to record OB during the storm',
      async () => {
        const event = await t.db.prisma.powerEvent.findFirst({ where: { upsId, status: 'OB DISCHRG' } });
        if (event) recordedAfterMs = event.receivedAt.getTime() - cutAt;
        return event !== null;
      },
      15_000,
      100,
    );
    // Keep the load on a little longer, then stop it.
    await new Promise((r) => setTimeout(r, 1000));
    writing = false;
    await Promise.all(writers);
    controller.abort();
    const opened = (await Promise.all(streams)).filter((r) => r?.status === 200).length;
    ctx.diagnostic(
      `statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${opened} streams open; OB recorded ${recordedAfterMs} ms after the cut`,
    );
    assert.ok(recordedAfterMs >= 0 && recordedAfterMs < 2000, `OB recorded after ${recordedAfterMs} ms`);
    const errors = [...statuses.keys()].filter((s) => s >= 500 && s !== 503);
    assert.deepEqual(errors, [], 'no 5xx other than 503');
    assert.deepEqual(retryAfterMissing, [], 'every 503 says when to retry');
    assert.ok((statuses.get(200) ?? 0) > WRITERS, 'writes went through');
    assert.ok(opened >= STREAMS * 0.9, `${opened} of ${STREAMS} streams opened`);
    bed.setStatus(bed.upsNames[0] as string, 'OL');
  });
});

describe('a database outage answers 503 with Retry-After, not 500', () => {
  let postgres: ThrowawayPostgres;
  let db: TestDatabase;
  let redis: TestRedisPrefix;
  let app: INestApplication;
  let base = '';
  let token = '';

  before(async () => {
    postgres = await ThrowawayPostgres.start();
    db = await createTestDatabase(postgres.url);
    redis = createTestRedisPrefix();
    token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'ops', role: 'operator' }))).token;
    app = await createOrchestratorApp(
      testConfig({
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: redis.prefix,
        POWER_MONITOR_ENABLED: 'false',
        NUTFLEET_DEMO: 'off',
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  after(async () => {
    await app?.close();
    await db?.prisma.$disconnect();
    await postgres?.destroy();
    await redis?.cleanup();
  });

  test('reads and writes while PostgreSQL is stopped: 503 + Retry-After; back: 200', async () => {
    const get = (path: string, bearer = token): Promise<Response> =>
      fetch(`${base}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    assert.equal((await get('/hosts')).status, 200);
    await postgres.stop();
    const freshToken = 'nf_' + 'Q'.repeat(43); // not in the token cache: the guard's own lookup fails
    for (const [path, bearer] of [
      ['/hosts?q=esx', token], // not the page served from the read cache
      ['/nut-servers', token],
      ['/plans', token],
      ['/events', token],
      ['/hosts', freshToken],
    ] as const) {
      const response = await get(path, bearer);
      const body = (await response.json()) as { message: string };
      assert.equal(response.status, 503, `${path}: ${JSON.stringify(body)}`);
      assert.equal(response.headers.get('retry-after'), '5');
      assert.match(body.message, /database is unavailable/);
    }
    const write = await fetch(`${base}/hosts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'esx-x', address: '10.0.0.1' }),
    });
    assert.equal(write.status, 503);
    await postgres.resume();
    await waitFor('the API to answer again', async () => (await get('/hosts')).status === 200, 20_000, 250);
  });
});
