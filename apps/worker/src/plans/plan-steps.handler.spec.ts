import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';

import { PlanStepsHandler } from './plan-steps.handler';
import { type StepAttempt, type StepExecutor } from './step-executor';

type Payload = JobPayload<typeof JobName.PlanSteps>;

function job(id: string | undefined, stepIds: readonly string[]): Job<Payload> {
  const data: Payload = {
    planId: 'plan-1',
    steps: stepIds.map((stepId) => ({ stepId, stepKey: `host:${stepId}:power-off` })),
  };
  return { id, name: JobName.PlanSteps, data } as Job<Payload>;
}

/** An executor whose attempts at each step end as `script` says, recording who claimed what. */
function executor(script: (stepId: string, made: number) => StepAttempt | Error): {
  executor: StepExecutor;
  calls: Array<{ stepId: string; claimant: string; made: number }>;
  inFlight: () => number;
  peak: () => number;
} {
  const calls: Array<{ stepId: string; claimant: string; made: number }> = [];
  let inFlight = 0;
  let peak = 0;
  const fake = {
    async attempt(stepId: string, claimant: string, made: number): Promise<StepAttempt> {
      calls.push({ stepId, claimant, made });
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      const outcome = script(stepId, made);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  return { executor: fake as unknown as StepExecutor, calls, inFlight: () => inFlight, peak: () => peak };
}

describe('PlanStepsHandler', () => {
  test('runs every step of the job at once, each claimed under the job id, and counts how they ended', async () => {
    const fake = executor((stepId) => ({ kind: 'done', state: stepId === 's2' ? 'FAILED' : 'SUCCEEDED' }));
    const result = await new PlanStepsHandler(fake.executor).handle(job('plan-1-steps-x', ['s1', 's2', 's3']));
    assert.deepEqual(result, { SUCCEEDED: 2, FAILED: 1 });
    assert.equal(fake.peak(), 3, 'side by side, not one after the other');
    assert.deepEqual(new Set(fake.calls.map((c) => c.claimant)), new Set(['plan-1-steps-x']));
  });

  test('a step that asks for a retry is attempted again on its own; the others are not', async () => {
    const fake = executor((stepId, made) =>
      stepId === 's1' && made === 0
        ? { kind: 'retry', error: new Error('timeout') }
        : { kind: 'done', state: 'SUCCEEDED' },
    );
    const result = await new PlanStepsHandler(fake.executor).handle(job('j', ['s1', 's2']));
    assert.deepEqual(result, { SUCCEEDED: 2 });
    assert.deepEqual(fake.calls.map((c) => `${c.stepId}#${c.made}`).sort(), ['s1#0', 's1#1', 's2#0']);
  });

  test('a step no attempt could finish is counted UNFINISHED: the job ends, the reconciler hands the step on', async () => {
    const fake = executor((stepId) =>
      stepId === 's1' ? new Error('PostgreSQL unreachable') : { kind: 'done', state: 'SKIPPED' },
    );
    const handler = new PlanStepsHandler(fake.executor);
    const started = Date.now();
    const result = await handler.handle(job('j', ['s1', 's2']));
    assert.deepEqual(result, { UNFINISHED: 1, SKIPPED: 1 });
    assert.ok(Date.now() - started < 10_000, 'the backoff is bounded');
  });

  test('a job without an id claims nothing', async () => {
    const fake = executor(() => ({ kind: 'done', state: 'SUCCEEDED' }));
    await assert.rejects(new PlanStepsHandler(fake.executor).handle(job(undefined, ['s1'])), /without an id/);
    assert.equal(fake.calls.length, 0);
  });
});
