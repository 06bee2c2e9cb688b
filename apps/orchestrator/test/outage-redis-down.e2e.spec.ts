/**
 * Redis is not a single point of failure for a shutdown: with this test's own Redis stopped
 * before the UPS reports OB LB, the monitor (lease in PostgreSQL) still decides, the plan is
 * written to PostgreSQL, and the worker runs its steps straight from PostgreSQL — every host of
 * the plan powered off exactly once, VMs first. An operator's cancel still stops it.
 */
import assert from 'node:assert/strict';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';

import {
  type AppProcess,
  createTestDatabase,
  type EsxiFleet,
  type NutTestbed,
  startAppProcess,
  startEsxiFleet,
  startNutTestbed,
  type TestDatabase,
  testConfig,
  ThrowawayRedis,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { createOrchestratorApp } from '../src/orchestrator.app';
import { insertNutServer, testbedServerRow } from './support/nut-server-rows';
import { insertOutageHost, outageTestEnv, poweroffTimes, stateChangingCommands } from './support/outage-fleet';

const WORKER = 'dist/apps/worker/src/main.js';
/** Hosts 0-5 on ups1 (the automatic plan); 6-8 fed by ups2 only, for the cancelled manual plan. */
const AUTO_HOSTS = 6;
const MANUAL = [6, 7, 8];

describe('shutdown with Redis down', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let redis: ThrowawayRedis;
  let bed: NutTestbed;
  let fleet: EsxiFleet;
  let app: INestApplication | undefined;
  let worker: AppProcess | undefined;
  let base = '';
  let token = '';
  let ups1 = '';
  const hostIds: string[] = [];

  const planDone = async (planId: string, timeoutMs: number): Promise<string> => {
    let state = '?';
    try {
      await waitFor(
        `plan ${planId} to finish`,
        async () => {
          state = (await db.prisma.plan.findUniqueOrThrow({ where: { id: planId } })).state;
          return state !== 'PENDING' && state !== 'RUNNING';
        },
        timeoutMs,
        200,
      );
    } catch (error) {
      const steps = await db.prisma.planStep.findMany({ where: { planId }, select: { key: true, state: true } });
      throw new Error(
        `${String(error)}; ${state}: ${JSON.stringify(steps.filter((s) => s.state !== 'SUCCEEDED'))}\nworker: ${worker?.output().slice(-3000) ?? ''}`,
      );
    }
    return state;
  };

  before(async () => {
    [db, redis, bed, fleet] = await Promise.all([
      createTestDatabase(),
      ThrowawayRedis.start(),
      startNutTestbed({ upses: 2 }),
      startEsxiFleet({ hosts: AUTO_HOSTS + MANUAL.length, seed: 'redis-down', msPerSecond: 50 }),
    ]);
    const env = {
      ...outageTestEnv(db, { url: redis.url, prefix: 'nf-redis-down', cleanup: () => Promise.resolve() }),
      READY_CHECK_TIMEOUT_MS: '1000',
    };
    const config = testConfig(env);
    token = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'redis-down-op', role: 'operator' })))
      .token;
    const nut = await insertNutServer(db.prisma, config.secretKey, testbedServerRow(bed, 'nut-a'));
    ups1 = nut.upsId('ups1');
    for (let i = 0; i < AUTO_HOSTS + MANUAL.length; i++) {
      const upsIds = MANUAL.includes(i) ? [nut.upsId('ups2')] : [ups1];
      hostIds.push(
        await insertOutageHost(db.prisma, config.secretKey, fleet.host(i), { stage: i % 2, minSupplies: 1, upsIds }),
      );
    }
    app = await createOrchestratorApp(config);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
    worker = startAppProcess(WORKER, { ...env, LOG_LEVEL: 'info' });
    await worker.waitForOutput(/worker started/, 30_000);
    await waitFor(
      'a first reading',
      async () => (await db.prisma.ups.findUniqueOrThrow({ where: { id: ups1 } })).status === 'OL',
      15_000,
      100,
    );
  });

  after(async () => {
    worker?.child.kill('SIGKILL');
    await app?.close();
    await Promise.all([fleet?.stop(), bed?.stop(), redis?.stop()]);
    await db?.drop();
  });

  test('Redis stopped before OB LB: every host of the automatic plan powered off exactly once, VMs first', async () => {
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    bed.setStatus('ups1', 'OB DISCHRG LB');
    await waitFor(
      'the automatic plan',
      async () => (await db.prisma.plan.count({ where: { createdBy: 'power-monitor' } })) === 1,
      20_000,
      100,
    );
    const auto = await db.prisma.plan.findFirstOrThrow({ where: { createdBy: 'power-monitor' } });
    assert.equal(await planDone(auto.id, 90_000), 'SUCCEEDED');
    for (let i = 0; i < AUTO_HOSTS; i++) {
      const sim = fleet.host(i);
      const offs = poweroffTimes(sim);
      assert.equal(offs.length, 1, `host ${i} powered off exactly once`);
      assert.equal(sim.power, 'off', `host ${i} is off`);
      const vmStops = sim.commandLog.filter((c) => /vmsvc\/power\.(shutdown|suspend|off)/.test(c.line));
      assert.ok(vmStops.length > 0, `host ${i}: its VMs were stopped`);
      assert.ok(
        vmStops.every((c) => c.at <= (offs[0] ?? 0)),
        `host ${i}: VMs before the host`,
      );
    }
    for (const i of MANUAL) assert.deepEqual(stateChangingCommands(fleet.host(i)), [], `host ${i} is not on ups1`);
    assert.match(worker?.output() ?? '', /straight from PostgreSQL/);
  });

  test('still without Redis, an operator cancel stops a running plan: no host powered off after it', async () => {
    for (const i of MANUAL) for (const vm of fleet.host(i).state.vms) vm.guestShutdownMs = 4000;
    const created = await fetch(`${base}/plans/shutdown`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ targets: { hosts: MANUAL.map((i) => hostIds[i]) }, mode: 'armed' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const planId = ((await created.json()) as { id: string }).id;
    await waitFor(
      'a guest shutdown under way',
      () => Promise.resolve(MANUAL.some((i) => stateChangingCommands(fleet.host(i)).length > 0)),
      30_000,
      20,
    ).catch(async (error: unknown) => {
      const steps = await db.prisma.planStep.findMany({ where: { planId }, select: { key: true, state: true } });
      throw new Error(
        `${String(error)}; steps ${JSON.stringify(steps)}\nworker: ${worker?.output().slice(-4000) ?? ''}`,
      );
    });
    const cancelled = await fetch(`${base}/plans/${planId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(cancelled.status, 200, await cancelled.text());
    assert.equal(await planDone(planId, 60_000), 'CANCELLED');
    await new Promise((r) => setTimeout(r, 2000));
    for (const i of MANUAL) {
      assert.deepEqual(poweroffTimes(fleet.host(i)), [], `host ${i} not powered off after the cancel`);
      assert.equal(fleet.host(i).power, 'on');
    }
  });
});
