import assert from 'node:assert/strict';
import { test } from 'node:test';

import { INVENTORY_READ_MAX_AGE_MS, InventoryReadCache } from './inventory-read-cache';

test('serves a fresh value, recomputes once stale, shares concurrent misses', async () => {
  const cache = new InventoryReadCache();
  let calls = 0;
  const compute = async (): Promise<string> => `v${++calls}`;
  const [a, b] = await Promise.all([cache.get('k', compute), cache.get('k', compute)]);
  assert.deepEqual([a, b, calls], ['v1', 'v1', 1]);
  assert.equal(await cache.get('k', compute), 'v1');
  assert.equal(await cache.get('k', compute, Date.now() + INVENTORY_READ_MAX_AGE_MS + 1), 'v2');
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
