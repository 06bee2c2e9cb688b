import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import { dueReadinessChecks, readinessSlotOffsetMs } from './readiness-schedule';

const INTERVAL = 900_000;

describe('readiness schedule', () => {
  const hosts = Array.from({ length: 1000 }, () => randomUUID());

  it('gives each host a stable offset in the first 90 % of the interval, leaving time for its checks', () => {
    for (const id of hosts.slice(0, 50)) {
      const offset = readinessSlotOffsetMs(id, INTERVAL);
      assert.ok(offset >= 0 && offset < 0.9 * INTERVAL);
      assert.equal(readinessSlotOffsetMs(id, INTERVAL), offset);
    }
  });

  it('spreads 1,000 hosts evenly: no 54 s of a 15-minute pass holds more than twice its share', () => {
    // Fifteen buckets over the 810 s the slots fill: 1000 / 15 hosts each on average.
    const perBucket = new Array<number>(15).fill(0);
    for (const id of hosts) {
      const bucket = Math.floor(readinessSlotOffsetMs(id, INTERVAL) / 54_000);
      perBucket[bucket] = (perBucket[bucket] ?? 0) + 1;
    }
    assert.ok(Math.max(...perBucket) <= (2 * 1000) / 15, `per bucket: ${perBucket.join(',')}`);
    assert.ok(Math.min(...perBucket) >= 1000 / 15 / 2, `per bucket: ${perBucket.join(',')}`);
  });

  it('consecutive windows cover every host exactly once per pass, whatever the tick length', () => {
    const start = 5 * INTERVAL + 123_456;
    const seen = new Map<string, number>();
    for (let t = start; t < start + 2 * INTERVAL; t += 7_777) {
      for (const due of dueReadinessChecks(hosts, INTERVAL, t, Math.min(t + 7_777, start + 2 * INTERVAL)))
        seen.set(`${due.hostId}:${due.pass}`, (seen.get(`${due.hostId}:${due.pass}`) ?? 0) + 1);
    }
    assert.equal(seen.size, 2 * hosts.length);
    assert.ok([...seen.values()].every((n) => n === 1));
  });

  it('a long pause (the process was busy) catches up each missed pass once', () => {
    const due = dueReadinessChecks(hosts.slice(0, 1), INTERVAL, 0, 3 * INTERVAL);
    assert.deepEqual(
      due.map((d) => d.pass),
      [0, 1, 2].filter((p) => p * INTERVAL + readinessSlotOffsetMs(hosts[0] ?? '', INTERVAL) > 0),
    );
  });

  it('an empty or reversed window is nothing', () => {
    assert.deepEqual(dueReadinessChecks(hosts, INTERVAL, 10, 10), []);
    assert.deepEqual(dueReadinessChecks(hosts, INTERVAL, 10, 5), []);
  });
});
