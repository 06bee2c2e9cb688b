import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CoalescingRunner } from './coalescing-runner';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('requests during a run collapse into one more run; keys run independently; errors are reported', async () => {
  const runs: string[] = [];
  const errors: string[] = [];
  let active = 0;
  let maxActive = 0;
  const runner = new CoalescingRunner(
    async (key) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      runs.push(key);
      await sleep(20);
      active -= 1;
      if (key === 'bad') throw new Error('boom');
    },
    (key, error) => errors.push(`${key}: ${(error as Error).message}`),
  );
  const first = runner.request('a');
  await sleep(5);
  void runner.request('a');
  void runner.request('a');
  await Promise.all([first, runner.request('b'), runner.request('bad')]);
  await sleep(60);
  assert.deepEqual(runs.filter((k) => k === 'a').length, 2, 'one run plus exactly one more');
  assert.equal(runs.filter((k) => k === 'b').length, 1);
  assert.deepEqual(errors, ['bad: boom']);
  assert.equal(maxActive, 3, 'different keys ran side by side');
});

test('minIntervalMs spaces the runs of a key under a stream of requests, never delaying the first', async () => {
  const starts: number[] = [];
  const runner = new CoalescingRunner(
    async () => {
      starts.push(Date.now());
      await sleep(5);
    },
    () => undefined,
    { minIntervalMs: 60 },
  );
  const began = Date.now();
  let last = runner.request('plan');
  for (let i = 0; i < 10; i++) {
    await sleep(10);
    last = runner.request('plan');
  }
  const streamMs = Date.now() - began;
  await last;
  assert.ok((starts[0] ?? Infinity) - began < 30, 'the first run starts at once');
  assert.ok(starts.length >= 2, 'requests during the stream are served');
  assert.ok(
    starts.length <= Math.ceil(streamMs / 60) + 1,
    `a ${streamMs} ms stream of 11 requests gave ${starts.length} runs`,
  );
  // Timers may fire a millisecond early.
  for (let i = 1; i < starts.length; i++)
    assert.ok((starts[i] ?? 0) - (starts[i - 1] ?? 0) >= 55, 'runs start at least the interval apart');
});

test('minRestRatio: after a long run the next one waits that multiple of its duration', async () => {
  const spans: Array<{ start: number; end: number }> = [];
  const runner = new CoalescingRunner(
    async () => {
      const start = Date.now();
      await sleep(80);
      spans.push({ start, end: Date.now() });
    },
    () => undefined,
    { minIntervalMs: 10, minRestRatio: 1 },
  );
  let last = runner.request('plan');
  for (let i = 0; i < 20; i++) {
    await sleep(10);
    last = runner.request('plan');
  }
  await last;
  assert.ok(spans.length >= 2, 'requests during the runs are served');
  for (let i = 1; i < spans.length; i++) {
    const previous = spans[i - 1] as { start: number; end: number };
    const rest = (spans[i]?.start ?? 0) - previous.end;
    // Timers may fire a millisecond or two early.
    assert.ok(
      rest >= previous.end - previous.start - 3,
      `rested ${rest} ms after a ${previous.end - previous.start} ms run`,
    );
  }
  const without = new CoalescingRunner(
    () => sleep(80),
    () => undefined,
    { minIntervalMs: 10 },
  );
  const began = Date.now();
  void without.request('plan');
  await sleep(10);
  await without.request('plan');
  assert.ok(Date.now() - began < 200, 'without it, the second run follows the first at once');
});
