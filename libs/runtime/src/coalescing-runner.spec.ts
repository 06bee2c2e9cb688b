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
