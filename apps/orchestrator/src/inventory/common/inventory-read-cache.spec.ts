import assert from 'node:assert/strict';
import { test } from 'node:test';

import { INVENTORY_READ_MAX_AGE_MS, INVENTORY_READ_STALE_LIMIT_MS, InventoryReadCache } from './inventory-read-cache';

/** A computation the test finishes by hand, counting how often it was started. */
function manual(): { compute: () => Promise<string>; calls: () => number; finish: (v: string | Error) => void } {
  let calls = 0;
  let pending: ((v: string | Error) => void)[] = [];
  return {
    compute: () => {
      calls++;
      return new Promise<string>((resolve, reject) =>
        pending.push((v) => (v instanceof Error ? reject(v) : resolve(v))),
      );
    },
    calls: () => calls,
    finish: (v) => {
      const waiting = pending;
      pending = [];
      for (const settle of waiting) settle(v);
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('serves a fresh value without recomputing, shares concurrent misses', async () => {
  const cache = new InventoryReadCache();
  let calls = 0;
  const compute = async (): Promise<string> => `v${++calls}`;
  const t0 = Date.now();
  const [a, b] = await Promise.all([cache.get('k', compute, t0), cache.get('k', compute, t0)]);
  assert.deepEqual([a, b, calls], ['v1', 'v1', 1]);
  assert.equal(await cache.get('k', compute, t0 + INVENTORY_READ_MAX_AGE_MS - 1), 'v1');
  assert.equal(calls, 1);
});

test('once older than the max age: serves the old value while one refresh runs in the background', async () => {
  const cache = new InventoryReadCache();
  const t0 = Date.now();
  assert.equal(await cache.get('k', async () => 'v1', t0), 'v1');

  const refresh = manual();
  const stale = t0 + INVENTORY_READ_MAX_AGE_MS;
  // Many readers past the max age: all answered at once with the old value, one query started.
  const answers = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', refresh.compute, stale)));
  assert.ok(answers.every((a) => a === 'v1'));
  assert.equal(refresh.calls(), 1);

  refresh.finish('v2');
  await tick();
  assert.equal(await cache.get('k', refresh.compute, stale + 1), 'v2');
  assert.equal(refresh.calls(), 1, 'the refreshed value is fresh again');
});

test('never serves a value past the stale limit: readers wait for the query', async () => {
  const cache = new InventoryReadCache();
  const t0 = Date.now();
  assert.equal(await cache.get('k', async () => 'v1', t0), 'v1');

  const slow = manual();
  const tooOld = t0 + INVENTORY_READ_STALE_LIMIT_MS;
  let settled = false;
  const waiting = Promise.all([cache.get('k', slow.compute, tooOld), cache.get('k', slow.compute, tooOld)]).then(
    (v) => {
      settled = true;
      return v;
    },
  );
  await tick();
  assert.equal(settled, false, 'the too-old value was not served');
  assert.equal(slow.calls(), 1);
  slow.finish('v2');
  assert.deepEqual(await waiting, ['v2', 'v2']);

  // A background refresh still running when the limit passes: later readers join it.
  const late = manual();
  assert.equal(await cache.get('k', late.compute, tooOld + INVENTORY_READ_MAX_AGE_MS), 'v2');
  const joined = cache.get('k', late.compute, tooOld + INVENTORY_READ_STALE_LIMIT_MS);
  late.finish('v3');
  assert.equal(await joined, 'v3');
  assert.equal(late.calls(), 1);
});

test('a failed background refresh keeps the old value until the stale limit, then readers see the error', async () => {
  const cache = new InventoryReadCache();
  const t0 = Date.now();
  assert.equal(await cache.get('k', async () => 'v1', t0), 'v1');

  const failing = manual();
  assert.equal(await cache.get('k', failing.compute, t0 + INVENTORY_READ_MAX_AGE_MS), 'v1');
  failing.finish(new Error('database down'));
  await tick();
  assert.equal(await cache.get('k', failing.compute, t0 + INVENTORY_READ_MAX_AGE_MS + 1), 'v1');
  failing.finish(new Error('database down'));
  await tick();
  assert.equal(failing.calls(), 2, 'each read after a failure may try again, one at a time');

  const miss = cache.get('k', failing.compute, t0 + INVENTORY_READ_STALE_LIMIT_MS);
  failing.finish(new Error('database down'));
  await assert.rejects(miss, /database down/);
});

test('invalidate drops entries, and a result computed across an invalidation is not kept', async () => {
  const cache = new InventoryReadCache();
  let release: (v: string) => void = () => undefined;
  const slow = cache.get('k', () => new Promise<string>((r) => (release = r)));
  cache.invalidate();
  release('old');
  assert.equal(await slow, 'old');
  assert.equal(await cache.get('k', async () => 'new'), 'new');
  cache.invalidate();
  assert.equal(await cache.get('k', async () => 'newer'), 'newer');
});

test('a write during a background refresh: the next read waits for a query started after the write', async () => {
  const cache = new InventoryReadCache();
  const t0 = Date.now();
  assert.equal(await cache.get('k', async () => 'before', t0), 'before');

  const refresh = manual();
  assert.equal(await cache.get('k', refresh.compute, t0 + INVENTORY_READ_MAX_AGE_MS), 'before');
  cache.invalidate(); // a write through this replica
  refresh.finish('computed before the write');
  await tick();
  assert.equal(await cache.get('k', async () => 'after', t0 + INVENTORY_READ_MAX_AGE_MS + 1), 'after');
});

test('a longer max age for a costly read: kept that long, then refreshed; a write still drops it', async () => {
  const cache = new InventoryReadCache();
  let calls = 0;
  const compute = async (): Promise<string> => `v${++calls}`;
  const t0 = Date.now();
  assert.equal(await cache.get('slow', compute, t0, 5000), 'v1');
  assert.equal(await cache.get('slow', compute, t0 + 4999, 5000), 'v1');
  assert.equal(calls, 1, 'not recomputed within its own max age');
  // Past twice its max age it is never served: the reader waits for the new value.
  assert.equal(await cache.get('slow', compute, t0 + 10_000, 5000), 'v2');
  cache.invalidate();
  assert.equal(await cache.get('slow', compute, t0 + 10_001, 5000), 'v3');
});
