import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type Job } from 'bullmq';

import { JobName, type JobPayload } from '@nutfleet/queue';

import { LeadCommandsGate } from './lead-commands.gate';
import { PlanStepsHandler } from './plan-steps.handler';
import { type StepAttempt, type StepExecutor } from './step-executor';
import { type StepSignals } from './step-handler';

type Payload = JobPayload<typeof JobName.PlanSteps>;

function job(id: string | undefined, stepIds: readonly string[], leads: readonly string[] = []): Job<Payload> {
  const data: Payload = {
    planId: 'plan-1',
    steps: stepIds.map((stepId) => ({
      stepId,
      stepKey: `host:${stepId}:power-off`,
      ...(leads.includes(stepId) ? { lead: true as const } : {}),
    })),
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
    const result = await new PlanStepsHandler(fake.executor, new LeadCommandsGate()).handle(
      job('plan-1-steps-x', ['s1', 's2', 's3']),
    );
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
    const result = await new PlanStepsHandler(fake.executor, new LeadCommandsGate()).handle(job('j', ['s1', 's2']));
    assert.deepEqual(result, { SUCCEEDED: 2 });
    assert.deepEqual(fake.calls.map((c) => `${c.stepId}#${c.made}`).sort(), ['s1#0', 's1#1', 's2#0']);
  });

  test('a step no attempt could finish is counted UNFINISHED: the job ends, the reconciler hands the step on', async () => {
    const fake = executor((stepId) =>
      stepId === 's1' ? new Error('PostgreSQL unreachable') : { kind: 'done', state: 'SKIPPED' },
    );
    const handler = new PlanStepsHandler(fake.executor, new LeadCommandsGate());
    const started = Date.now();
    const result = await handler.handle(job('j', ['s1', 's2']));
    assert.deepEqual(result, { UNFINISHED: 1, SKIPPED: 1 });
    assert.ok(Date.now() - started < 10_000, 'the backoff is bounded');
  });

  test('a job without an id claims nothing', async () => {
    const fake = executor(() => ({ kind: 'done', state: 'SUCCEEDED' }));
    await assert.rejects(
      new PlanStepsHandler(fake.executor, new LeadCommandsGate()).handle(job(undefined, ['s1'])),
      /without an id/,
    );
    assert.equal(fake.calls.length, 0);
  });

  test("a job's other steps wait until this worker's lead steps have sent their first command, not until they end", async () => {
    const events: string[] = [];
    const fake = {
      async attempt(stepId: string, _c: string, _m: number, _a: number, signals: StepSignals): Promise<StepAttempt> {
        events.push(`${stepId} starts`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        events.push(`${stepId} sent`);
        signals.commandSent();
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`${stepId} ends`);
        return { kind: 'done', state: 'SUCCEEDED' };
      },
    } as unknown as StepExecutor;
    const handler = new PlanStepsHandler(fake, new LeadCommandsGate());
    await Promise.all([
      handler.handle(job('j1', ['a1', 'a2'], ['a1', 'a2'])),
      handler.handle(job('j2', ['b1', 'a3'], ['b1'])),
    ]);
    const at = (event: string): number => events.indexOf(event);
    for (const lead of ['a1', 'a2', 'b1']) assert.ok(at(`${lead} starts`) < at('a3 starts'), `${lead} went first`);
    for (const lead of ['a1', 'a2', 'b1']) assert.ok(at(`${lead} sent`) < at('a3 starts'));
    assert.ok(at('a3 starts') < at('a1 ends'), 'the second step did not wait for the leads to end');
  });

  test('a lead whose handler never says it sent still lets the others go when its attempt ends', async () => {
    const started: string[] = [];
    const fake = {
      async attempt(stepId: string): Promise<StepAttempt> {
        started.push(stepId);
        if (stepId === 'lead') await new Promise((resolve) => setTimeout(resolve, 50));
        return { kind: 'done', state: 'SUCCEEDED' };
      },
    } as unknown as StepExecutor;
    const gate = new LeadCommandsGate();
    const handler = new PlanStepsHandler(fake, gate);
    const began = Date.now();
    await Promise.all([handler.handle(job('j1', ['lead'], ['lead'])), handler.handle(job('j2', ['other']))]);
    assert.deepEqual(started, ['lead', 'other']);
    assert.ok(Date.now() - began < 1000, 'released at its end, not at the gate timeout');
    assert.equal(gate.pendingLeads, 0);
  });
});
