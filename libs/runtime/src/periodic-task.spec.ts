import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PeriodicTask } from './periodic-task';

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
