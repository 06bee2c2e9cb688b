import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { orchestratorAppForTest } from './support/power-monitor-app';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
export function seriesValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`)))
      return Number(line.split(' ').at(-1));
  }
  return undefined;
}

// A simulated outage against a real upsd + dummy-ups: the UPS goes OL -> OB DISCHRG with its
// charge and runtime falling, and the scraped series follow.
describe('GET /metrics during a simulated outage', () => {
  let db: TestDatabase;
  let redis: TestRedisPrefix;
  let bed: NutTestbed;
  let app: INestApplication;
  let base: string;
  let token: string;
  let upsLabel: string;

  async function scrape(auth: string | null = token): Promise<{ status: number; text: string }> {
    const response = await fetch(`${base}/metrics`, {
      headers: auth === null ? {} : { authorization: `Bearer ${auth}` },
    });
    return { status: response.status, text: await response.text() };
  }

  before(async () => {
    [db, bed] = await Promise.all([createTestDatabase(), startNutTestbed({ upses: 2 })]);
    redis = createTestRedisPrefix();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
      NUTFLEET_DEMO: 'off',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
    };
    const config = testConfig(env);
    token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'prometheus', role: 'viewer' }))).token;
    const server = await insertNutServer(
      db.prisma,
      config.secretKey,
      testbedServerRow(bed, 'site-a', ['ups1', 'ups2']),
    );
    const [edge, lab] = await Promise.all(
      ['edge', 'lab'].map((name) => db.prisma.hostGroup.create({ data: { name } })),
    );
    const seen = await db.prisma.host.create({
      data: { name: 'esx-seen', address: '127.0.0.1', lastSeenAt: new Date(), groupId: edge?.id ?? null },
    });
    const never = await db.prisma.host.create({
      data: { name: 'esx-never', address: '127.0.0.2', groupId: lab?.id ?? null },
    });
    // ups1 powers one host of each group; ups2 is only watched (power value 0) by esx-seen.
    await db.prisma.powerFeed.createMany({
      data: [
        { hostId: seen.id, upsId: server.upsId('ups1') },
        { hostId: never.id, upsId: server.upsId('ups1') },
        { hostId: seen.id, upsId: server.upsId('ups2'), powerValue: 0 },
      ],
    });
    upsLabel = `ups1@${bed.host}:${bed.port}`;
    app = await orchestratorAppForTest(config);
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  after(async () => {
    await app?.close();
    await bed?.stop();
    await redis?.cleanup();
    await db?.drop();
  });

  test('needs a token unless METRICS_PUBLIC', async () => {
    const anonymous = await scrape(null);
    assert.equal(anonymous.status, 401);
    assert.doesNotMatch(anonymous.text, /nutfleet_ups/);
    assert.equal((await scrape('nf_' + 'x'.repeat(43))).status, 401);
  });

  test('UPS flags, charge and runtime change OL -> OB; poll latency, hosts and queues are exported', async () => {
    let text = '';
    await waitFor(
      'UPS online in /metrics',
      async () => {
        text = (await scrape()).text;
        return seriesValue(text, 'nutfleet_ups_status', { ups: upsLabel, flag: 'OL' }) === 1;
      },
      15_000,
      250,
    );
    assert.equal(seriesValue(text, 'nutfleet_ups_status', { ups: upsLabel, flag: 'OB' }), 0);
    assert.equal(seriesValue(text, 'nutfleet_ups_comm_ok', { ups: upsLabel }), 1);
    const chargeBefore = seriesValue(text, 'nutfleet_ups_battery_charge_percent', { ups: upsLabel });
    assert.ok(chargeBefore !== undefined && chargeBefore > 50, `charge ${chargeBefore}`);

    bed.setVariables('ups1', { 'ups.status': 'OB DISCHRG', 'battery.charge': '42', 'battery.runtime': '321' });
    await waitFor(
      'UPS on battery in /metrics',
      async () => {
        text = (await scrape()).text;
        return seriesValue(text, 'nutfleet_ups_status', { ups: upsLabel, flag: 'OB' }) === 1;
      },
      15_000,
      250,
    );
    assert.equal(seriesValue(text, 'nutfleet_ups_status', { ups: upsLabel, flag: 'OL' }), 0);
    assert.equal(seriesValue(text, 'nutfleet_ups_status', { ups: upsLabel, flag: 'DISCHRG' }), 1);
    await waitFor(
      'charge and runtime follow',
      async () => {
        text = (await scrape()).text;
        return (
          seriesValue(text, 'nutfleet_ups_battery_charge_percent', { ups: upsLabel }) === 42 &&
          seriesValue(text, 'nutfleet_ups_battery_runtime_seconds', { ups: upsLabel }) === 321
        );
      },
      15_000,
      250,
    );

    const polls = seriesValue(text, 'nutfleet_nut_poll_duration_seconds_count', {
      server: `${bed.host}:${bed.port}`,
      outcome: 'ok',
    });
    assert.ok(polls !== undefined && polls > 0, 'the power monitor observes its poll rounds');
    assert.equal(seriesValue(text, 'nutfleet_host_up', { host: 'esx-seen', group: 'edge' }), 1);
    assert.equal(seriesValue(text, 'nutfleet_host_up', { host: 'esx-never', group: 'lab' }), 0);
    assert.equal(seriesValue(text, 'nutfleet_hosts', { trust_state: 'UNTRUSTED' }), 2);
    assert.equal(seriesValue(text, 'nutfleet_queue_up'), 1);
    assert.equal(seriesValue(text, 'nutfleet_queue_jobs', { queue: 'plans', state: 'failed' }), 0);
    assert.match(text, /# TYPE nutfleet_plan_duration_seconds histogram/);
    assert.match(text, /# TYPE nutfleet_plan_step_duration_seconds histogram/);
  });

  test('UPS series carry the NUT server and the groups of the hosts they power; one series per UPS and flag', async () => {
    const ups2Label = `ups2@${bed.host}:${bed.port}`;
    const { text } = await scrape();
    for (const name of [
      'nutfleet_ups_comm_ok',
      'nutfleet_ups_battery_charge_percent',
      'nutfleet_ups_battery_runtime_seconds',
    ]) {
      assert.notEqual(
        seriesValue(text, name, { ups: upsLabel, nut_server: 'site-a', group: 'edge,lab' }),
        undefined,
        `${name} for ups1 labelled nut_server="site-a", group="edge,lab"`,
      );
    }
    // Watched only: ups2 powers no host, so it belongs to no group.
    assert.equal(seriesValue(text, 'nutfleet_ups_comm_ok', { ups: ups2Label, nut_server: 'site-a', group: '' }), 1);
    const ob = text.split('\n').filter((l) => l.startsWith('nutfleet_ups_status{') && l.includes('flag="OB"'));
    assert.equal(ob.length, 2, `one OB series per UPS, whatever its groups: ${ob.join(' | ')}`);

    // A host moved to another group moves the label at the next scrape; no stale series is left.
    const lab = await db.prisma.hostGroup.findUniqueOrThrow({ where: { name: 'lab' } });
    await db.prisma.host.update({ where: { name: 'esx-seen' }, data: { groupId: lab.id } });
    const moved = (await scrape()).text;
    assert.equal(seriesValue(moved, 'nutfleet_ups_comm_ok', { ups: upsLabel, group: 'lab' }), 1);
    assert.doesNotMatch(moved, /group="edge,lab"/);
    assert.equal(seriesValue(moved, 'nutfleet_host_up', { host: 'esx-seen', group: 'lab' }), 1);
  });
});
