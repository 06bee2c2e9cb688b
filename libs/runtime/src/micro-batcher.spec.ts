import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MicroBatcher } from './micro-batcher';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('MicroBatcher', () => {
  test('requests of one event-loop turn go in one flush, each caller getting its own result', async () => {
    const flushes: number[][] = [];
    const batcher = new MicroBatcher<number, string>((inputs) => {
      flushes.push([...inputs]);
      return Promise.resolve(inputs.map((n) => `#${n}`));
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.request(n)));
    assert.deepEqual(results, ['#1', '#2', '#3']);
    assert.deepEqual(flushes, [[1, 2, 3]]);
  });

  test('a lone request at low load is flushed at once, not held for company', async () => {
    let flushed = false;
    const batcher = new MicroBatcher<number, number>((inputs) => {
      flushed = true;
      return Promise.resolve(inputs);
    });
    const result = batcher.request(7);
    // No timer may hold it: the flush runs in the very next check phase, before one of our own.
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(flushed, true);
    assert.equal(await result, 7);
  });

  test('while maxInFlight flushes run, later requests wait and share the next flush (group commit)', async () => {
    const flushes: number[][] = [];
    let active = 0;
    let maxActive = 0;
    let firstFlushStarted!: () => void;
    const firstFlushRunning = new Promise<void>((resolve) => (firstFlushStarted = resolve));
    const batcher = new MicroBatcher<number, number>(
      async (inputs) => {
        flushes.push([...inputs]);
        firstFlushStarted();
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(30);
        active--;
        return inputs;
      },
      { maxInFlight: 1 },
    );
    const first = batcher.request(1);
    // Wait for the flush itself, not a few ms: on a loaded machine a timer can beat setImmediate.
    await firstFlushRunning;
    const later = [2, 3, 4, 5].map((n) => batcher.request(n));
    assert.deepEqual(await Promise.all([first, ...later]), [1, 2, 3, 4, 5]);
    assert.deepEqual(flushes, [[1], [2, 3, 4, 5]]);
    assert.equal(maxActive, 1);
  });

  test('a burst is split into flushes of at most maxBatch, in request order', async () => {
    const flushes: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      (inputs) => {
        flushes.push([...inputs]);
        return Promise.resolve(inputs.map((n) => n * 10));
      },
      { maxBatch: 2, maxInFlight: 5 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.request(n)));
    assert.deepEqual(results, [10, 20, 30, 40, 50]);
    assert.deepEqual(flushes, [[1, 2], [3, 4], [5]]);
  });

  test('a failed flush rejects exactly the requests of its batch; the next batch still runs', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>(
      (inputs) => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('database gone')) : Promise.resolve(inputs);
      },
      { maxInFlight: 1 },
    );
    const failed = [1, 2].map((n) => batcher.request(n));
    await assert.rejects(failed[0] as Promise<number>, /database gone/);
    await assert.rejects(failed[1] as Promise<number>, /database gone/);
    assert.equal(await batcher.request(3), 3);
  });

  test('a flush returning the wrong number of results rejects its batch instead of mismatching answers', async () => {
    const batcher = new MicroBatcher<number, number>((inputs) => Promise.resolve(inputs.slice(1)));
    await assert.rejects(
      Promise.all([batcher.request(1), batcher.request(2)]),
      /returned 1 result\(s\) for 2 request\(s\)/,
    );
  });
});
