import assert from 'node:assert/strict';
import { test } from 'node:test';

import { nextPassAt, PeriodicTask } from './periodic-task';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('passes never overlap, a failing pass does not stop the loop, and stop() waits for the pass in flight', async () => {
  let running = 0;
  let maxRunning = 0;
  let passes = 0;
  const errors: unknown[] = [];
  const task = new PeriodicTask({
    intervalMs: 5,
    onError: (e) => errors.push(e),
    run: async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      passes += 1;
      await sleep(20);
      running -= 1;
      if (passes === 2) throw new Error('transient');
    },
  });
  task.start();
  await sleep(120);
  await task.stop();
  const after = passes;
  await sleep(60);
  assert.ok(after >= 3, `ran ${after} passes`);
  assert.equal(maxRunning, 1);
  assert.equal(errors.length, 1);
  assert.equal(running, 0, 'stop() returned only after the pass in flight ended');
  assert.equal(passes, after, 'nothing runs after stop()');
});

test('a pass resolving to a due time brings the next one forward, never sooner than minDelayMs', async () => {
  const starts: number[] = [];
  const task = new PeriodicTask({
    intervalMs: 10_000,
    minDelayMs: 30,
    onError: () => undefined,
    run: () => {
      starts.push(Date.now());
      // First pass: due in 60 ms; second: "due now" (bounded by minDelayMs); then nothing.
      return Promise.resolve(
        nextPassAt(starts.length === 1 ? Date.now() + 60 : starts.length === 2 ? Date.now() : undefined),
      );
    },
  });
  task.start();
  await sleep(200);
  await task.stop();
  assert.equal(starts.length, 3, 'two passes brought forward, then back to the 10 s interval');
  const [a = 0, b = 0, c = 0] = starts;
  assert.ok(b - a >= 55 && b - a < 150, `second pass ${b - a} ms after the first`);
  assert.ok(c - b >= 28 && c - b < 120, `third pass ${c - b} ms after the second`);
});

test('wake() runs a pass now, or exactly once more right after the pass in flight', async () => {
  let passes = 0;
  const task = new PeriodicTask({
    intervalMs: 10_000,
    onError: () => undefined,
    run: async () => {
      passes += 1;
      await sleep(30);
    },
  });
  task.start(10_000);
  task.wake();
  await sleep(10);
  assert.equal(passes, 1, 'woken at once instead of after the initial delay');
  task.wake();
  task.wake();
  await sleep(80);
  assert.equal(passes, 2, 'wakes during a pass collapse into one more pass');
  await task.stop();
  task.wake();
  await sleep(20);
  assert.equal(passes, 2, 'nothing runs after stop()');
});

test('minRestRatio: a pass longer than the interval is followed by a rest as long as itself', async () => {
  const spans: Array<{ start: number; end: number }> = [];
  const task = new PeriodicTask({
    intervalMs: 10,
    minRestRatio: 1,
    onError: () => undefined,
    run: async () => {
      const start = Date.now();
      await sleep(60);
      spans.push({ start, end: Date.now() });
    },
  });
  task.start();
  await sleep(400);
  await task.stop();
  assert.ok(spans.length >= 2 && spans.length <= 4, `${spans.length} passes of 60 ms in 400 ms`);
  for (let i = 1; i < spans.length; i++) {
    const previous = spans[i - 1] as { start: number; end: number };
    const rest = (spans[i]?.start ?? 0) - previous.end;
    // Timers may fire a millisecond or two early.
    assert.ok(
      rest >= previous.end - previous.start - 3,
      `rested ${rest} ms after a ${previous.end - previous.start} ms pass`,
    );
  }
});
