import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type INestApplicationContext } from '@nestjs/common';

import { type NutTestbed, startNutTestbed, waitFor } from '@nutfleet/testing';

import { createWorkerApp } from '../../worker/src/worker.app';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { HttpReceiver, type ReceivedRequest } from './support/http-receiver';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';

interface Threshold {
  id: string;
  ups: string | null;
  metric: string;
  value: number;
  hysteresis: number;
  description: string;
  alerts: { upsId: string; ups: string; value: number | null; since: string }[];
}

const TOPIC = '/ups-alerts';
const DISPATCH_MS = 200;

// A real upsd + dummy-ups read by the real power monitor; the thresholds are evaluated on the
// rows it writes, and an in-process worker delivers to a local ntfy-like receiver.
describe('threshold alerts: load, runtime and charge, with hysteresis, delivered to a local receiver', () => {
  let api: ApiTestApp;
  let worker: INestApplicationContext;
  let bed: NutTestbed;
  let receiver: HttpReceiver;
  let ups1 = '';
  let ups2 = '';
  let address1 = '';

  /** Waits until the monitor has written `value` to the UPS row, then for two dispatch passes. */
  const rowShows = async (upsId: string, variable: string, value: string): Promise<void> => {
    await waitFor(
      `${variable} = ${value} recorded`,
      async () => {
        const row = await api.db.prisma.ups.findUniqueOrThrow({ where: { id: upsId } });
        return (row.variables as Record<string, string> | null)?.[variable] === value;
      },
      20_000,
      100,
    );
    await new Promise((resolve) => setTimeout(resolve, 3 * DISPATCH_MS));
  };
  const set = async (ups: string, upsId: string, variable: string, value: string): Promise<void> => {
    bed.setVariables(ups, { [variable]: value });
    await rowShows(upsId, variable, value);
  };
  const alertsTo = (match: (title: string) => boolean): ReceivedRequest[] =>
    receiver.to(TOPIC).filter((r) => match(String(r.headers.title ?? '')));

  before(async () => {
    bed = await startNutTestbed({ upses: 2 });
    receiver = await HttpReceiver.start();
    api = await startApiTestApp({
      POWER_MONITOR_ENABLED: 'true',
      POWER_MONITOR_POLL_INTERVAL_MS: '500',
      POWER_MONITOR_INVENTORY_REFRESH_MS: '500',
      POWER_MONITOR_LEASE_TTL_MS: '3000',
      NOTIFY_DISPATCH_INTERVAL_MS: String(DISPATCH_MS),
      NOTIFY_SEND_TIMEOUT_MS: '5000',
    });
    worker = await createWorkerApp(api.config);
    await worker.init();
    const server = await insertNutServer(api.db.prisma, api.config.secretKey, testbedServerRow(bed, 'site-t'));
    ups1 = server.upsId('ups1');
    ups2 = server.upsId('ups2');
    address1 = `ups1@${bed.host}:${bed.port}`;
    for (const [name, upsId] of [
      ['esx-t1', ups1],
      ['esx-t2', ups1],
      ['esx-t3', ups2],
    ] as const)
      await api.db.prisma.host.create({
        data: { name, address: `10.7.0.${name.slice(-1)}`, feeds: { create: [{ upsId }] } },
      });
    const channel = await api.call('POST', '/notifications/channels', {
      body: {
        name: 'on-call-phone',
        kind: 'NTFY',
        webhookUrl: `${receiver.base}${TOPIC}`,
        routes: [{ eventTypes: ['threshold.alert', 'threshold.recovered'] }],
      },
    });
    assert.equal(channel.status, 201, channel.text);
    // The monitor has read both UPSes: thresholds have something to evaluate.
    await rowShows(ups1, 'ups.load', '25');
    await rowShows(ups2, 'ups.load', '25');
  });

  after(async () => {
    await worker?.close();
    await api?.close();
    await bed?.stop();
    await receiver?.close();
  });

  test('thresholds are admin-only and refuse values that cannot work', async () => {
    assert.equal((await api.call('GET', '/notifications/thresholds', { token: api.tokens.operator })).status, 403);
    const range = await api.call<{ fields: { field: string; reason: string }[] }>('POST', '/notifications/thresholds', {
      body: { metric: 'CHARGE', value: 120 },
    });
    assert.equal(range.status, 422);
    assert.deepEqual(range.body.fields, [{ field: 'value', reason: 'must be between 1 and 100 %' }]);
    const unknown = await api.call('POST', '/notifications/thresholds', {
      body: { metric: 'LOAD', value: 80, upsId: '00000000-0000-4000-8000-00000000abcd' },
    });
    assert.equal(unknown.status, 422);
    const metric = await api.call('POST', '/notifications/thresholds', { body: { metric: 'TEMPERATURE', value: 40 } });
    assert.equal(metric.status, 400);
  });

  test('load above 80 % on ups1: one alert naming the UPS and its hosts however the load hovers, then one recovery', async () => {
    const created = await api.call<Threshold>('POST', '/notifications/thresholds', {
      body: { upsId: ups1, metric: 'LOAD', value: 80 },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.hysteresis, 5, 'the default hysteresis for load');
    assert.equal(created.body.description, 'load above 80 %');
    const id = created.body.id;

    bed.setVariables('ups1', { 'ups.load': '85' });
    const alert = await receiver.next(TOPIC, 'load alert', (r) => /load 85 %/.test(String(r.headers.title)));
    assert.equal(alert.headers.title, `UPS ${address1} load 85 % is above 80 %`);
    assert.equal(alert.headers.priority, '4', 'WARNING by default');
    assert.match(alert.body, /It feeds 2 hosts: esx-t1, esx-t2\./);
    assert.doesNotMatch(alert.body, /esx-t3/);
    const listed = (await api.call<Threshold>('GET', `/notifications/thresholds/${id}`)).body;
    assert.deepEqual(
      listed.alerts.map((a) => [a.ups, a.value]),
      [[address1, 85]],
    );

    // Hovering around the threshold, never back to 75: no new alert, no recovery.
    for (const load of ['79', '82', '77', '81']) await set('ups1', ups1, 'ups.load', load);
    assert.equal(alertsTo((t) => t.includes('load') && t.includes('is above')).length, 1, 'one alert');
    assert.equal(alertsTo((t) => t.includes('back to')).length, 0, 'no recovery while hovering');

    bed.setVariables('ups1', { 'ups.load': '74' });
    const recovery = await receiver.next(TOPIC, 'recovery', (r) => /back to 74 %/.test(String(r.headers.title)));
    assert.equal(recovery.headers.title, `UPS ${address1} load back to 74 % (threshold: load above 80 %)`);
    assert.match(recovery.body, /It feeds 2 hosts: esx-t1, esx-t2\./);
    assert.deepEqual((await api.call<Threshold>('GET', `/notifications/thresholds/${id}`)).body.alerts, []);

    // Over again: a new alert (a new episode, not swallowed as a repeat of the first).
    bed.setVariables('ups1', { 'ups.load': '90' });
    await receiver.next(TOPIC, 'second alert', (r) => /load 90 %/.test(String(r.headers.title)));
    assert.equal((await api.call('DELETE', `/notifications/thresholds/${id}`)).status, 204);
    assert.equal(await api.db.prisma.notificationThresholdState.count({ where: { thresholdId: id } }), 0);
  });

  test('runtime below 15 min on every UPS: each UPS alerts on its own; a 65535 placeholder never does', async () => {
    const created = await api.call<Threshold>('POST', '/notifications/thresholds', {
      body: { upsId: null, metric: 'RUNTIME', value: 15, severity: 'CRITICAL' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.ups, null);
    await set('ups1', ups1, 'battery.runtime', '65535');
    bed.setVariables('ups2', { 'battery.runtime': '600' });
    const alert = await receiver.next(TOPIC, 'runtime alert', (r) => /runtime 10 min/.test(String(r.headers.title)));
    assert.equal(alert.headers.title, `UPS ups2@${bed.host}:${bed.port} runtime 10 min is below 15 min`);
    assert.equal(alert.headers.priority, '5', 'CRITICAL is urgent on ntfy');
    assert.match(alert.body, /It feeds 1 host: esx-t3\./);
    await new Promise((resolve) => setTimeout(resolve, 5 * DISPATCH_MS));
    assert.equal(
      alertsTo((t) => t.startsWith(`UPS ${address1} runtime`)).length,
      0,
      'the placeholder is not a runtime',
    );
    const listed = (await api.call<Threshold>('GET', `/notifications/thresholds/${created.body.id}`)).body;
    assert.deepEqual(
      listed.alerts.map((a) => a.upsId),
      [ups2],
    );
  });

  test('charge below: an edit that moves the threshold past the reading raises the alert', async () => {
    const created = await api.call<Threshold>('POST', '/notifications/thresholds', {
      body: { upsId: ups2, metric: 'CHARGE', value: 20 },
    });
    await set('ups2', ups2, 'battery.charge', '60');
    assert.equal(alertsTo((t) => t.includes('battery charge')).length, 0);
    const edited = await api.call<Threshold>('PATCH', `/notifications/thresholds/${created.body.id}`, {
      body: { value: 70 },
    });
    assert.equal(edited.status, 200, edited.text);
    const alert = await receiver.next(TOPIC, 'charge alert', (r) => String(r.headers.title).includes('battery charge'));
    assert.equal(alert.headers.title, `UPS ups2@${bed.host}:${bed.port} battery charge 60 % is below 70 %`);
  });
});
