import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import { dueReadinessChecks, readinessSlotOffsetMs } from './readiness-schedule';

const INTERVAL = 900_000;

describe('readiness schedule', () => {
  const hosts = Array.from({ length: 1000 }, () => randomUUID());

  it('gives each host a stable offset inside the interval', () => {
    for (const id of hosts.slice(0, 50)) {
      const offset = readinessSlotOffsetMs(id, INTERVAL);
      assert.ok(offset >= 0 && offset < INTERVAL);
      assert.equal(readinessSlotOffsetMs(id, INTERVAL), offset);
    }
  });

  it('spreads 1,000 hosts evenly: no minute of a 15-minute pass holds more than twice its share', () => {
    const perMinute = new Array<number>(15).fill(0);
    for (const id of hosts) {
      const minute = Math.floor(readinessSlotOffsetMs(id, INTERVAL) / 60_000);
      perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    }
    assert.ok(Math.max(...perMinute) <= (2 * 1000) / 15, `per minute: ${perMinute.join(',')}`);
    assert.ok(Math.min(...perMinute) >= 1000 / 15 / 2, `per minute: ${perMinute.join(',')}`);
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
