/**
 * GET /upses/:id/history: what the UPS charts draw is what the monitor recorded (every sample
 * while they fit, bucket means past the point budget), with the UPS's outages, in a bounded window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';

interface History {
  name: string;
  sampleCount: number;
  points: Array<{ at: number; charge: number | null; load: number | null; samples: number }>;
  outages: Array<{ id: string; openedAt: string; closedAt: string | null }>;
}

const T0 = Date.parse('2026-11-30T06:00:00.000Z');
const MIN = 60_000;

describe('UPS history for the charts', () => {
  let api: ApiTestApp;
  let upsId = '';
  let otherUpsId = '';
  const inWindow: string[] = [];

  before(async () => {
    api = await startApiTestApp();
    const prisma = api.db.prisma;
    const server = await prisma.nutServer.create({
      data: {
        name: 'site-h',
        host: '127.0.0.1',
        username: 'monitor',
        upses: { create: [{ name: 'ups-a' }, { name: 'ups-b' }] },
      },
      include: { upses: true },
    });
    upsId = server.upses.find((u) => u.name === 'ups-a')?.id ?? '';
    otherUpsId = server.upses.find((u) => u.name === 'ups-b')?.id ?? '';
    // One sample a minute for an hour: charge falls by one point a minute, load rises.
    await prisma.upsSample.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        upsId,
        at: new Date(T0 + i * MIN),
        status: i < 20 ? 'OL' : 'OB DISCHRG',
        charge: 100 - i,
        runtimeSeconds: 1800 - i * 20,
        load: 30 + i,
        inputVoltage: i < 20 ? 230 : 0,
      })),
    });
    await prisma.upsSample.create({ data: { upsId: otherUpsId, at: new Date(T0), charge: 12 } });
    const outage = (openedAt: number, closedAt: number | null, upsIds: string[]) =>
      prisma.outage.create({
        data: {
          openedAt: new Date(openedAt),
          closedAt: closedAt === null ? null : new Date(closedAt),
          state: closedAt === null ? 'OPEN' : 'CLOSED',
          upsIds,
        },
      });
    inWindow.push((await outage(T0 + 20 * MIN, T0 + 50 * MIN, [upsId])).id);
    inWindow.push((await outage(T0 - 30 * MIN, T0 + 5 * MIN, [upsId, otherUpsId])).id);
    await outage(T0 - 3 * 3600_000, T0 - 2 * 3600_000, [upsId]); // before the window
    await outage(T0 + 30 * MIN, null, [otherUpsId]); // another UPS's
  });

  after(async () => {
    await api?.close();
  });

  const history = (query: string, id = upsId) =>
    api.call<History>('GET', `/upses/${id}/history?${query}`, { token: api.tokens.viewer });

  test('few enough samples come back as recorded, with the outages of this UPS that overlap the window', async () => {
    const res = await history(`from=${new Date(T0).toISOString()}&to=${T0 + 30 * MIN}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, 'ups-a');
    assert.equal(res.body.sampleCount, 30);
    assert.deepEqual(
      res.body.points.map((p) => [p.at, p.charge, p.load, p.samples]),
      Array.from({ length: 30 }, (_, i) => [T0 + i * MIN, 100 - i, 30 + i, 1]),
    );
    assert.deepEqual(res.body.outages.map((o) => o.id).sort(), [...inWindow].sort());
  });

  test('past the point budget, each point is the mean of its time bucket', async () => {
    const res = await history(`from=${T0}&to=${T0 + 60 * MIN}&points=10`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.sampleCount, 60);
    assert.equal(res.body.points.length, 10);
    // Bucket k holds minutes 6k..6k+5: charge 100-6k .. 95-6k, mean 97.5-6k.
    assert.deepEqual(
      res.body.points.map((p) => [p.charge, p.samples]),
      Array.from({ length: 10 }, (_, k) => [97.5 - 6 * k, 6]),
    );
  });

  test('the window is bounded: inverted, unreadable or longer than the retention is refused; an unknown UPS is 404', async () => {
    assert.equal((await history(`from=${T0 + MIN}&to=${T0}`)).status, 400);
    assert.equal((await history('from=yesterday')).status, 400);
    const long = await history(`from=${T0 - 40 * 24 * 3600_000}&to=${T0}`);
    assert.equal(long.status, 400);
    assert.match(long.text, /30 days/);
    assert.equal((await history(`from=${T0}`, '00000000-0000-4000-8000-00000000dead')).status, 404);
    assert.equal((await api.call('GET', `/upses/${upsId}/history`, { token: null })).status, 401, 'a token is needed');
  });
});
