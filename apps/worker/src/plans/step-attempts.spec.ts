import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { PLAN_STEP_RETRY } from '@nutfleet/queue';

import { attemptStep, planStepBackoffMs } from './step-attempts';
import { type StepAttempt } from './step-executor';

const noWait = (): number => 0;

describe('attemptStep', () => {
  test('a step done at the first attempt is attempted once, and its state returned', async () => {
    const made: number[] = [];
    const state = await attemptStep({
      attempt: (n) => {
        made.push(n);
        return Promise.resolve({ kind: 'done', state: 'SUCCEEDED' });
      },
      backoffMs: noWait,
    });
    assert.equal(state, 'SUCCEEDED');
    assert.deepEqual(made, [0]);
  });

  test('retries while the executor asks for it, telling it how many attempts were made of how many', async () => {
    const calls: Array<[number, number]> = [];
    const state = await attemptStep({
      attempt: (n, of): Promise<StepAttempt> => {
        calls.push([n, of]);
        return Promise.resolve(
          n < 2 ? { kind: 'retry', error: new Error('timeout') } : { kind: 'done', state: 'FAILED' },
        );
      },
      backoffMs: noWait,
    });
    assert.equal(state, 'FAILED');
    assert.deepEqual(calls, [
      [0, PLAN_STEP_RETRY.attempts],
      [1, PLAN_STEP_RETRY.attempts],
      [2, PLAN_STEP_RETRY.attempts],
    ]);
  });

  test('an attempt that throws counts as one; all spent: undefined (left to the reconciler), every error reported', async () => {
    const errors: unknown[] = [];
    const state = await attemptStep({
      attempt: () => Promise.reject(new Error('PostgreSQL unreachable')),
      onError: (e) => errors.push(e),
      backoffMs: noWait,
    });
    assert.equal(state, undefined);
    assert.equal(errors.length, PLAN_STEP_RETRY.attempts);
  });

  test('waits the backoff between attempts, not before the first nor after the last', async () => {
    const waits: number[] = [];
    const started = Date.now();
    await attemptStep({
      attempt: () => Promise.resolve({ kind: 'retry', error: new Error('x') }),
      backoffMs: (n) => {
        waits.push(n);
        return 5;
      },
    });
    assert.deepEqual(
      waits,
      Array.from({ length: PLAN_STEP_RETRY.attempts - 1 }, (_, i) => i),
    );
    assert.ok(Date.now() - started >= 5 * (PLAN_STEP_RETRY.attempts - 1) - 2);
  });

  test('a carrier that stops starts no further attempt', async () => {
    let stopped = false;
    let made = 0;
    const state = await attemptStep({
      attempt: () => {
        made++;
        stopped = true;
        return Promise.resolve({ kind: 'retry', error: new Error('x') });
      },
      stopped: () => stopped,
      backoffMs: noWait,
    });
    assert.equal(state, undefined);
    assert.equal(made, 1);
  });
});

describe('planStepBackoffMs', () => {
  test('doubles from PLAN_STEP_RETRY.delayMs; jitter takes off at most its share', () => {
    assert.equal(
      planStepBackoffMs(0, () => 0),
      PLAN_STEP_RETRY.delayMs,
    );
    assert.equal(
      planStepBackoffMs(2, () => 0),
      PLAN_STEP_RETRY.delayMs * 4,
    );
    assert.equal(
      planStepBackoffMs(1, () => 1),
      Math.round(PLAN_STEP_RETRY.delayMs * 2 * (1 - PLAN_STEP_RETRY.jitter)),
    );
  });
});
