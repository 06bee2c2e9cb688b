import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';

import { type AppConfig } from '@nutfleet/config';
import { type PrismaService } from '@nutfleet/db';
import {
  createTestDatabase,
  createTestRedisPrefix,
  type NutTestbed,
  startNutTestbed,
  type TestDatabase,
  type TestRedisPrefix,
  testConfig,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { orchestratorAppForTest } from './support/power-monitor-app';
import { sseReader } from './support/sse-reader';
import { FencedOffError, PowerMonitorStore } from '../src/power-monitor/power-monitor.store';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';

interface UpsView {
  id: string;
  name: string;
  status: string | null;
  commState: string;
  commError: string | null;
  batteryCharge: number | null;
  lastSeenAt: string | null;
}
interface EventView {
  id: string;
  type: string;
  upsId: string | null;
  status: string | null;
  previousStatus: string | null;
  data: Record<string, unknown>;
  observedAt: string | null;
  receivedAt: string;
}
interface StatusView {
  leader: boolean;
  holder: string;
  currentLeader: string | null;
  servers: { server: string; connected: boolean; credentialError: string | null }[];
}

/** The monitor reports a silence after this long (DEADTIME itself is the policy's, from the last good poll). */
const REPORT_AFTER_S = 3;

// Real upsd + dummy-ups (three test beds), real PostgreSQL and Redis. The monitor polls every
// second with a 3 s DEADTIME and a 3 s lease so faults show up quickly.
describe('power monitor against real upsd + dummy-ups', () => {
  let db: TestDatabase;
  let redis: TestRedisPrefix;
  let bedA: NutTestbed;
  let bedB: NutTestbed;
  let bedC: NutTestbed;
  let env: Record<string, string> & { DATABASE_URL: string };
  let config: AppConfig;
  let app1: INestApplication | undefined;
  let app2: INestApplication | undefined;
  let base1: string;
  let base2: string;
  let token: string;
  let operatorToken: string;
  const ids: Record<string, string> = {};

  async function get<T>(base: string, path: string, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    assert.equal(response.status, 200, `${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as T;
  }

  async function events(upsId: string): Promise<EventView[]> {
    return (await get<{ items: EventView[] }>(base1, `/events?upsId=${upsId}&limit=1000`)).items;
  }

  async function addServer(bed: NutTestbed, password: string, upsNames: string[], key: string): Promise<void> {
    const nut = await insertNutServer(db.prisma, config.secretKey, {
      ...testbedServerRow(bed, key, upsNames),
      password,
    });
    for (const name of upsNames) ids[`${key}/${name}`] = nut.upsId(name);
    ids[key] = nut.serverId;
  }

  before(async () => {
    [db, bedA, bedB, bedC] = await Promise.all([
      createTestDatabase(),
      startNutTestbed({ upses: 2 }),
      startNutTestbed({ upses: 1 }),
      startNutTestbed({ upses: 1 }),
    ]);
    redis = createTestRedisPrefix();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
      NUTFLEET_DEMO: 'off',
      POWER_MONITOR_POLL_INTERVAL_MS: '1000',
      POWER_MONITOR_COMM_LOSS_REPORT_SECONDS: String(REPORT_AFTER_S),
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
    };
    config = testConfig(env);
    token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'pm-viewer', role: 'viewer' }))).token;
    operatorToken = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'pm-operator', role: 'operator' })))
      .token;
    await addServer(bedA, bedA.monitor.password, ['ups1', 'ups2'], 'A');
    // "ghost" is configured but the server does not have it.
    await addServer(bedB, bedB.monitor.password, ['ups1', 'ghost'], 'B');
    await addServer(bedC, 'not-the-password', ['ups1'], 'C');
    app1 = await orchestratorAppForTest(testConfig(env));
    base1 = `http://127.0.0.1:${(app1.getHttpServer().address() as AddressInfo).port}`;
  });

  after(async () => {
    await app1?.close();
    await app2?.close();
    await Promise.all([bedA?.stop(), bedB?.stop(), bedC?.stop()]);
    await redis?.cleanup();
    await db?.drop();
  });

  test('OL -> OB -> OB LB -> OL is recorded as PowerEvents in order', async () => {
    const upsId = ids['A/ups1'] ?? '';
    await waitFor(
      'first reading of A/ups1',
      async () => (await get<UpsView>(base1, `/ups/${upsId}`)).status === 'OL',
      15_000,
      200,
    );
    for (const status of ['OB DISCHRG', 'OB LB', 'OL']) {
      bedA.setStatus('ups1', status);
      await waitFor(
        `A/ups1 ${status} recorded`,
        async () => (await events(upsId)).at(-1)?.status === status,
        15_000,
        200,
      );
    }
    const changes = (await events(upsId)).filter((e) => e.type === 'STATUS_CHANGE');
    assert.deepEqual(
      changes.map((e) => [e.previousStatus, e.status]),
      [
        [null, 'OL'],
        ['OL', 'OB DISCHRG'],
        ['OB DISCHRG', 'OB LB'],
        ['OB LB', 'OL'],
      ],
    );
    const ob = changes[1];
    assert.ok(ob && ob.observedAt === null && !Number.isNaN(Date.parse(ob.receivedAt)));
    assert.deepEqual(ob?.data.flagsAdded, ['DISCHRG', 'OB']);
    const ups = await get<UpsView>(base1, `/ups/${upsId}`);
    assert.equal(ups.commState, 'OK');
    // The inventory's UPS resource carries the same live fields.
    const inventory = await get<UpsView & { flags: string[]; upsLoad: number }>(base1, `/upses/${upsId}`);
    assert.deepEqual(
      [inventory.status, inventory.flags, inventory.batteryCharge, inventory.upsLoad],
      ['OL', ['OL'], 100, 25],
    );
    assert.equal(ups.batteryCharge, 100);
    assert.ok(ups.lastSeenAt);
  });

  test('two upsd instances are monitored at once', async () => {
    const b1 = ids['B/ups1'] ?? '';
    bedB.setStatus('ups1', 'OB');
    bedA.setStatus('ups2', 'OB');
    await waitFor(
      'both servers seen on battery',
      async () => {
        const list = await get<UpsView[]>(base1, '/ups');
        return (
          list.find((u) => u.id === b1)?.status === 'OB' && list.find((u) => u.id === ids['A/ups2'])?.status === 'OB'
        );
      },
      15_000,
      200,
    );
    bedB.setStatus('ups1', 'OL');
    bedA.setStatus('ups2', 'OL');
  });

  test('an unknown UPS gets a clear error state and COMM_LOST after DEADTIME, without disturbing the others', async () => {
    const ghost = ids['B/ghost'] ?? '';
    await waitFor(
      'ghost comm lost',
      async () => (await get<UpsView>(base1, `/ups/${ghost}`)).commState === 'LOST',
      15_000,
      200,
    );
    const ups = await get<UpsView>(base1, `/ups/${ghost}`);
    assert.equal(ups.commError, 'UNKNOWN-UPS');
    assert.equal(ups.status, null);
    const lost = (await events(ghost)).filter((e) => e.type === 'COMM_LOST');
    assert.equal(lost.length, 1);
    assert.equal(lost[0]?.data.error, 'UNKNOWN-UPS');
    assert.equal((await get<UpsView>(base1, `/ups/${ids['B/ups1']}`)).commState, 'OK');
  });

  test('a wrong password: test-connection returns a typed ACCESS-DENIED, the monitor flags it and keeps running', async () => {
    const response = await fetch(`${base1}/nut-servers/${ids.C}/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const body = JSON.parse(text) as { ok: boolean; error?: { code: string; type: string; message: string } };
    assert.equal(body.ok, false);
    assert.equal(body.error?.code, 'ACCESS-DENIED');
    assert.equal(body.error?.type, 'NutAccessDeniedError');
    assert.ok(!text.includes('not-the-password'), 'the password is never returned');

    const good = (await (
      await fetch(`${base1}/nut-servers/${ids.A}/test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorToken}` },
      })
    ).json()) as {
      ok: boolean;
      upses: { name: string }[];
      loggedInTo: string;
    };
    assert.equal(good.ok, true);
    assert.deepEqual(good.upses.map((u) => u.name).sort(), ['ups1', 'ups2']);
    assert.equal(good.loggedInTo, 'ups1');

    const missing = (await (
      await fetch(`${base1}/nut-servers/${ids.B}/test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorToken}` },
      })
    ).json()) as {
      ok: boolean;
      error?: { code: string };
      missingUpses?: string[];
    };
    // LOGIN to the first configured UPS ("ghost") fails: the unknown UPS is named.
    assert.equal(missing.ok, false);
    assert.equal(missing.error?.code, 'UNKNOWN-UPS');

    const c1 = ids['C/ups1'] ?? '';
    await waitFor(
      'C/ups1 flagged ACCESS-DENIED',
      async () => /ACCESS-DENIED/.test((await get<UpsView>(base1, `/ups/${c1}`)).commError ?? ''),
      15_000,
      200,
    );
    const status = await get<StatusView>(base1, '/power-monitor/status');
    const c = status.servers.find((s) => s.server === `${bedC.host}:${bedC.port}`);
    assert.match(c?.credentialError ?? '', /ACCESS-DENIED/);
    assert.ok(!JSON.stringify(status).includes('not-the-password'));
  });

  test('the SSE stream delivers a status change live, and resumes after Last-Event-ID', async () => {
    const upsId = ids['A/ups2'] ?? '';
    const before = (await events(upsId)).at(-1);
    const controller = new AbortController();
    const response = await fetch(`${base1}/events/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const stream = sseReader(response.body);
    const until = async (pattern: RegExp, ms: number): Promise<void> => {
      if (await stream.until(pattern, ms)) return;
      const recorded = JSON.stringify((await events(upsId)).slice(-3));
      throw new Error(
        `stream did not show ${pattern} within ${ms} ms (recorded: ${recorded}):\n${stream.text().slice(-1500)}`,
      );
    };
    let text = '';
    try {
      await until(/event: ups\n/, 5000);
      await new Promise((r) => setTimeout(r, 600));
      const flippedAt = Date.now();
      bedA.setStatus('ups2', 'OB LB');
      await until(new RegExp(`event: power-event\\ndata: \\{[^\\n]*"upsId":"${upsId}"[^\\n]*"status":"OB LB"`), 10_000);
      assert.ok(Date.now() - flippedAt < 8000);
      // The UPS state change follows on the same tail.
      await until(new RegExp(`event: ups\\ndata: \\{[^\\n]*"id":"${upsId}"[^\\n]*"status":"OB LB"`), 3000);
      text = stream.text();
      assert.match(text, /^retry: 2000$/m);
    } finally {
      controller.abort();
    }
    // Resume: everything after the event we had before the flip comes back, in order.
    const resume = new AbortController();
    const again = await fetch(`${base1}/events/stream`, {
      headers: { authorization: `Bearer ${token}`, 'last-event-id': before?.id ?? '0' },
      signal: resume.signal,
    });
    const stream2 = sseReader(again.body);
    // The UPS snapshot that opens the stream also says OB LB: wait for the replayed event itself.
    await stream2.until(/event: power-event\ndata: [^\n]*"status":"OB LB"/, 5000);
    const text2 = stream2.text();
    resume.abort();
    const ids2 = [...text2.matchAll(/^id: (\d+)$/gm)].map((m) => BigInt(m[1] ?? '0'));
    assert.ok(ids2.length >= 1, text2);
    assert.ok(ids2.every((id, i) => id > BigInt(before?.id ?? '0') && (i === 0 || id > (ids2[i - 1] ?? 0n))));
    bedA.setStatus('ups2', 'OL');
  });

  test('GET /events pages by id and by time', async () => {
    const all = (await get<{ items: EventView[] }>(base1, '/events?limit=1000')).items;
    assert.ok(all.length >= 6);
    const page = await get<{ items: EventView[]; nextSince: string | null }>(base1, '/events?limit=2');
    assert.equal(page.items.length, 2);
    const next = await get<{ items: EventView[] }>(base1, `/events?limit=2&since=${page.nextSince}`);
    assert.equal(next.items[0]?.id, all[2]?.id);
    const byTime = await get<{ items: EventView[] }>(
      base1,
      `/events?since=${encodeURIComponent(all[1]?.receivedAt ?? '')}`,
    );
    assert.ok(byTime.items.every((e) => Date.parse(e.receivedAt) > Date.parse(all[1]?.receivedAt ?? '')));
    const bad = await fetch(`${base1}/events?since=yesterday`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(bad.status, 400);
  });

  test('upsd killed and restarted: COMM_LOST after DEADTIME, then COMM_RESTORED, no crash', async () => {
    const upsId = ids['A/ups1'] ?? '';
    const killedAt = Date.now();
    await bedA.killUpsd();
    await waitFor(
      'A/ups1 comm lost',
      async () => (await events(upsId)).some((e) => e.type === 'COMM_LOST'),
      20_000,
      200,
    );
    const lost = (await events(upsId)).find((e) => e.type === 'COMM_LOST');
    assert.ok(lost);
    assert.ok(Date.parse(lost.receivedAt) - killedAt >= REPORT_AFTER_S * 1000 - 1100, 'not before the report delay');
    assert.equal(lost.data.error, 'SERVER-UNREACHABLE');
    await waitFor(
      'A/ups2 comm lost too',
      async () => (await get<UpsView>(base1, `/ups/${ids['A/ups2']}`)).commState === 'LOST',
      10_000,
      200,
    );
    await bedA.startUpsd();
    await waitFor(
      'A/ups1 comm restored',
      async () => (await events(upsId)).some((e) => e.type === 'COMM_RESTORED'),
      20_000,
      200,
    );
    const types = (await events(upsId)).map((e) => e.type).filter((t) => t !== 'STATUS_CHANGE');
    assert.deepEqual(types, ['COMM_LOST', 'COMM_RESTORED']);
    assert.equal((await get<UpsView>(base1, `/ups/${upsId}`)).commState, 'OK');
  });

  test('a stale fencing token cannot write', async () => {
    const store = new PowerMonitorStore(db.prisma as unknown as PrismaService);
    const current = await store.currentLeader();
    assert.ok(current);
    await assert.rejects(
      store.write(current.fencingToken - 1n, {
        events: [],
        samples: [],
        upses: [
          {
            id: ids['A/ups1'] ?? '',
            status: 'FAKE',
            variables: null,
            commState: 'OK',
            commError: null,
            lastSeenAt: null,
          },
        ],
      }),
      FencedOffError,
    );
    assert.notEqual((await db.prisma.ups.findUnique({ where: { id: ids['A/ups1'] } }))?.status, 'FAKE');
  });

  test('two replicas: exactly one polls; closing the leader hands over within seconds', async () => {
    app2 = await orchestratorAppForTest(testConfig(env));
    base2 = `http://127.0.0.1:${(app2.getHttpServer().address() as AddressInfo).port}`;
    await new Promise((r) => setTimeout(r, 2500));
    const [s1, s2] = [
      await get<StatusView>(base1, '/power-monitor/status'),
      await get<StatusView>(base2, '/power-monitor/status'),
    ];
    assert.equal(s1.leader, true);
    assert.equal(s2.leader, false);
    assert.equal(s2.servers.length, 0, 'the follower holds no NUT connection');
    assert.equal(s2.currentLeader, s1.holder);

    const closedAt = Date.now();
    await app1?.close();
    app1 = undefined;
    await waitFor(
      'the second replica to lead',
      async () => (await get<StatusView>(base2, '/power-monitor/status')).leader,
      10_000,
      100,
    );
    const handover = Date.now() - closedAt;
    assert.ok(handover < 5000, `handover took ${handover} ms`);
    base1 = base2;
    const upsId = ids['B/ups1'] ?? '';
    bedB.setStatus('ups1', 'OB LB');
    await waitFor(
      'the new leader records changes',
      async () => (await events(upsId)).some((e) => e.status === 'OB LB'),
      15_000,
      200,
    );
    const leader = await db.prisma.monitorLeadership.findUnique({ where: { id: 'power-monitor' } });
    assert.equal(leader?.holder, s2.holder);
  });
});
