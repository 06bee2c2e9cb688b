import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FleetReadinessAlerts } from './fleet-readiness.alerts';
import { FleetReadinessScheduler } from './fleet-readiness.scheduler';

/** A scheduler over fakes of its collaborators, reduced to what a tick uses. */
function schedulerOf(parts: { prisma: object; plans: object; inputs: object; jobs: object; config: object }) {
  return new FleetReadinessScheduler(
    parts.prisma as never,
    parts.plans as never,
    parts.inputs as never,
    parts.jobs as never,
    parts.config as never,
  );
}

test('readiness scheduling stands aside while an outage is open; a host changed during it is checked once it closes', async () => {
  let outage: { id: string; state: string } | null = { id: 'outage-1', state: 'SHEDDING' };
  let address = '10.0.0.1';
  const loaded: string[][] = [];
  const queued: string[] = [];
  // The scheduler's collaborators, reduced to what one tick uses.
  const prisma = {
    pool: { query: () => Promise.resolve({ rows: [{ id: 'host-1', fingerprint: `fp-${address}` }], rowCount: 1 }) },
    $executeRaw: () => Promise.resolve(0),
  };
  const plans = { outages: { current: () => Promise.resolve(outage) } };
  const inputs = {
    load: (hostIds: readonly string[]) => {
      loaded.push([...hostIds]);
      return Promise.resolve({ expectations: hostIds.map((hostId) => ({ hostId })), results: new Map() });
    },
  };
  const jobs = {
    add: (_name: string, _data: unknown, options: { jobId: string }) => {
      queued.push(options.jobId);
      return Promise.resolve();
    },
  };
  const config = { fleetReadiness: { intervalMs: 5000, enabled: true } };
  const scheduler = schedulerOf({ prisma, plans, inputs, jobs, config });

  assert.equal(await scheduler.tick(1000), 0);
  address = '10.0.0.2';
  assert.equal(await scheduler.tick(2000), 0);
  assert.deepEqual(loaded, [], 'no snapshot loaded, nothing judged while the outage is open');
  assert.deepEqual(queued, [], 'no SSH check queued while the outage is open');

  outage = null;
  assert.equal(await scheduler.tick(3000), 1);
  assert.deepEqual(loaded, [['host-1']], 'the host is checked at the first tick after the outage');
  assert.equal(queued.length, 1);
});

test('readiness alerts are not evaluated while an outage is open', async () => {
  let outage: { id: string } | null = { id: 'outage-1' };
  let scored = 0;
  const readiness = {
    current: () => {
      scored += 1;
      return Promise.resolve({ score: 100, hosts: [], groups: [], hostNames: new Map(), groupNames: new Map() });
    },
  };
  // The row versions of the tables scoring reads (rowVersions' one row).
  let version = 'v1';
  const prisma = {
    fleetReadinessAlert: { findMany: () => Promise.resolve([]) },
    pool: { query: () => Promise.resolve({ rows: [{ version }], rowCount: 1 }) },
  };
  const plans = { outages: { current: () => Promise.resolve(outage) } };
  const config = { fleetReadiness: { enabled: true, alertThreshold: 95 } };
  const alerts = new FleetReadinessAlerts(prisma as never, readiness as never, plans as never, config as never);
  const sent: unknown[] = [];
  await alerts.evaluate((draft) => Promise.resolve(void sent.push(draft)));
  assert.equal(scored, 0, 'no result read while the outage is open');
  outage = null;
  await alerts.evaluate((draft) => Promise.resolve(void sent.push(draft)));
  assert.equal(scored, 1, 'scored again once it is closed');
  await alerts.evaluate((draft) => Promise.resolve(void sent.push(draft)));
  assert.equal(scored, 1, 'no row changed (and no result to turn stale): not scored again');
  version = 'v2';
  await alerts.evaluate((draft) => Promise.resolve(void sent.push(draft)));
  assert.equal(scored, 2, 'a row changed: scored again');
  assert.deepEqual(sent, []);
});

test('the scheduling loop runs once per interval, also when a tick queues nothing (it once spun back-to-back)', async () => {
  let looks = 0;
  const prisma = {
    pool: { query: () => Promise.resolve({ rows: [], rowCount: 0 }) },
    $executeRaw: () => Promise.resolve(0),
  };
  // Standing aside (an outage is open) and not: both ticks resolve to 0 hosts queued.
  const plans = {
    outages: {
      current: () => {
        looks += 1;
        return Promise.resolve(looks % 2 === 0 ? { id: 'outage-1', state: 'SHEDDING' } : null);
      },
    },
  };
  const inputs = { load: () => Promise.resolve({ expectations: [], results: new Map() }) };
  const jobs = { add: () => Promise.resolve() };
  // The shortest tick interval: 1 s.
  const config = { fleetReadiness: { intervalMs: 1000, enabled: true } };
  const scheduler = schedulerOf({ prisma, plans, inputs, jobs, config });
  scheduler.onApplicationBootstrap();
  await new Promise((resolve) => setTimeout(resolve, 400));
  await scheduler.beforeApplicationShutdown();
  assert.equal(looks, 1, `${looks} ticks in 400 ms`);
});

test('readiness alerts score again when a result turns stale, though no row changed', async () => {
  let scored = 0;
  const checkedAt = 1_000_000;
  const readiness = {
    staleAfterSeconds: 60,
    current: () => {
      scored += 1;
      const checks = [{ code: 'SSH_AUTH', ok: true, message: 'ok', checkedAt }];
      return Promise.resolve({
        score: 100,
        hosts: [{ hostId: 'h', groupId: null, score: 100, checks }],
        groups: [],
        hostNames: new Map(),
        groupNames: new Map(),
      });
    },
  };
  const prisma = {
    fleetReadinessAlert: { findMany: () => Promise.resolve([]) },
    pool: { query: () => Promise.resolve({ rows: [{ version: 'v1' }], rowCount: 1 }) },
  };
  const plans = { outages: { current: () => Promise.resolve(null) } };
  const config = { fleetReadiness: { enabled: true, alertThreshold: 95 } };
  const alerts = new FleetReadinessAlerts(prisma as never, readiness as never, plans as never, config as never);
  const send = (): Promise<void> => Promise.resolve();
  await alerts.evaluate(send, checkedAt + 1000);
  await alerts.evaluate(send, checkedAt + 60_000);
  assert.equal(scored, 1, 'still fresh: not scored again');
  await alerts.evaluate(send, checkedAt + 60_001);
  assert.equal(scored, 2, 'the result turned stale: scored again');
});
