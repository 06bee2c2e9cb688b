import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

import { type AppConfig } from '@nutfleet/config';
import { type SafetyPrismaService } from '@nutfleet/db';

import { PowerMonitorLeadership } from './power-monitor.leadership';
import { type PowerMonitorService } from './power-monitor.service';

const TTL_MS = 900;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A lease table that answers each renewal with the next scripted behaviour: a delay before it
 * counts the row, or a failure. The first acquire succeeds with token 1; later ones fail once a
 * renewal has failed (the database is unreachable).
 */
function scriptedLease(renewals: Array<{ delayMs: number } | 'fail'>): {
  prisma: SafetyPrismaService;
  renewCalls: number[];
} {
  const renewCalls: number[] = [];
  let unreachable = false;
  const fake = {
    $queryRaw: () =>
      unreachable ? Promise.reject(new Error('connection refused')) : Promise.resolve([{ fencingToken: 1n }]),
    $executeRaw: async () => {
      renewCalls.push(Date.now());
      const next = renewals.shift() ?? { delayMs: 0 };
      if (next !== 'fail') unreachable = false;
      if (next === 'fail') {
        unreachable = true;
        throw new Error('connection reset');
      }
      await sleep(next.delayMs);
      return 1;
    },
  };
  return { prisma: fake as unknown as SafetyPrismaService, renewCalls };
}

/** A power monitor that counts how often leadership stopped it. */
function countingMonitor(): { monitor: PowerMonitorService; stops: () => number } {
  let stops = 0;
  const monitor = {
    start: () => Promise.resolve(),
    stop: () => {
      stops += 1;
      return Promise.resolve();
    },
  };
  return { monitor: monitor as unknown as PowerMonitorService, stops: () => stops };
}
const config = { powerMonitor: { enabled: true, leaseTtlMs: TTL_MS } } as AppConfig;

describe('PowerMonitorLeadership under a slow or failing PostgreSQL', () => {
  let leadership: PowerMonitorLeadership | undefined;
  afterEach(async () => {
    await leadership?.beforeApplicationShutdown();
    leadership = undefined;
  });

  test('renewals slower than a period but answered before the lease ends keep the lead', async () => {
    // 350 ms: longer than a statement's usual bound (half a period, at least 250 ms).
    const { prisma, renewCalls } = scriptedLease(Array.from({ length: 10 }, () => ({ delayMs: 350 })));
    const { monitor, stops } = countingMonitor();
    leadership = new PowerMonitorLeadership(prisma, config, monitor);
    leadership.onApplicationBootstrap();
    await sleep(50);
    assert.equal(leadership.isLeader, true);
    await sleep(2 * TTL_MS);
    assert.equal(stops(), 0, 'the monitor never stopped during two TTLs of slow renewals');
    assert.equal(leadership.isLeader, true);
    assert.ok(renewCalls.length >= 3, `renewed ${renewCalls.length} times`);
  });

  test('a failed renewal is tried again at once, not a period later, and the lead is kept', async () => {
    const { prisma, renewCalls } = scriptedLease(['fail', { delayMs: 0 }]);
    const { monitor, stops } = countingMonitor();
    leadership = new PowerMonitorLeadership(prisma, config, monitor);
    leadership.onApplicationBootstrap();
    await sleep(TTL_MS / 3 + 50);
    assert.equal(renewCalls.length, 1, 'the first renewal came after a third of the TTL');
    await sleep(250);
    assert.equal(renewCalls.length, 2, 'the failed renewal was retried within RENEW_RETRY_MS');
    await sleep(TTL_MS);
    assert.equal(stops(), 0, 'the monitor never stopped');
    assert.equal(leadership.isLeader, true);
  });

  test('renewals that keep failing end the lead when the lease runs out', async () => {
    const { prisma } = scriptedLease(Array.from({ length: 50 }, () => 'fail' as const));
    const { monitor, stops } = countingMonitor();
    leadership = new PowerMonitorLeadership(prisma, config, monitor);
    leadership.onApplicationBootstrap();
    await sleep(50);
    assert.equal(leadership.isLeader, true);
    await sleep(TTL_MS + 100);
    assert.equal(leadership.isLeader, false);
    assert.equal(stops(), 1, 'the monitor stopped when the lease ran out');
  });
});
