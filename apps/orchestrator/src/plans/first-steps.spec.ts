import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type NewPlanStep, type VmStopStepDetail } from '@nutfleet/plan';
import { PLAN_STEPS_PER_JOB, planStepsJobId } from '@nutfleet/queue';

import { firstStepJobs, withFirstStepsQueued } from './first-steps';

const PLAN = '7e1d2c3b-4a59-4f6e-8d7c-9b0a1f2e3d4c';
const NOW = Date.parse('2026-12-04T20:00:00Z');
const detail = {} as VmStopStepDetail;

function step(key: string, hostId: string, stage: number, sequence: number, dependsOn: string[] = []): NewPlanStep {
  return { key, hostId, action: 'vm-stop', stage, sequence, dependsOn, deadlineAt: null, detail };
}

/** Hosts with two VMs each (stage 0, side by side) and a power-off after them (stage 1). */
function fleet(hosts: number): NewPlanStep[] {
  const steps: NewPlanStep[] = [];
  for (let h = 0; h < hosts; h++) {
    steps.push(step(`host:${h}:vm:1:stop`, `h${h}`, 0, steps.length));
    steps.push(step(`host:${h}:vm:2:stop`, `h${h}`, 0, steps.length));
  }
  for (let h = 0; h < hosts; h++)
    steps.push({
      ...step(`host:${h}:power-off`, `h${h}`, 1, steps.length, [`host:${h}:vm:1:stop`, `host:${h}:vm:2:stop`]),
      action: 'host-power-off',
    });
  return steps;
}

describe('withFirstStepsQueued', () => {
  test('queues the first open stage only, every host’s first step in the first jobs', () => {
    const hosts = PLAN_STEPS_PER_JOB + 5;
    const { steps, laterSteps, batches } = withFirstStepsQueued(PLAN, fleet(hosts), 'c1', NOW);
    const all = [...steps, ...laterSteps];
    const queued = all.filter((s) => s.jobId !== undefined);
    assert.equal(queued.length, 2 * hosts, 'the VM steps of stage 0');
    assert.ok(
      all.filter((s) => s.stage === 1).every((s) => s.jobId === undefined),
      'stage 1 waits',
    );
    const order = batches.flatMap((b) => b.steps.map((s) => s.key));
    assert.deepEqual(
      order.slice(0, hosts),
      Array.from({ length: hosts }, (_, h) => `host:${h}:vm:1:stop`),
      'one step per host first',
    );
    const leads = batches.flatMap((b) => b.steps.filter((s) => s.lead === true).map((s) => s.key));
    assert.deepEqual(leads, order.slice(0, hosts), 'exactly each host’s first step leads');
    assert.equal(batches[0]?.jobId, planStepsJobId(PLAN, 'host:0:vm:1:stop', 'c1'));
    for (const batch of batches) {
      assert.ok(batch.steps.length <= PLAN_STEPS_PER_JOB);
      for (const s of batch.steps) assert.equal(all.find((x) => x.key === s.key)?.jobId, batch.jobId);
      assert.equal(new Set(batch.steps.map((s) => s.lead === true)).size, 1, 'a job carries leads or others, not both');
    }
    assert.equal(new Set(batches.map((b) => b.jobId)).size, batches.length, 'one id per job');
  });

  test('the plan is written with each host’s lead step; every other step, as given and in order, right after', () => {
    const given = fleet(3);
    const { steps, laterSteps } = withFirstStepsQueued(PLAN, given, 'c1', NOW);
    assert.deepEqual(
      steps.map((s) => s.key),
      ['host:0:vm:1:stop', 'host:1:vm:1:stop', 'host:2:vm:1:stop'],
    );
    assert.ok(steps.every((s) => s.jobId !== undefined));
    const unqueued = (s: NewPlanStep): NewPlanStep => {
      const { jobId: _jobId, ...rest } = s;
      return rest;
    };
    assert.deepEqual(
      laterSteps.map(unqueued),
      given.filter((g) => !steps.some((s) => s.key === g.key)),
    );
    assert.deepEqual(
      steps.map(unqueued),
      given.filter((g) => g.key.endsWith(':vm:1:stop')),
    );
  });

  test('a restart gate is never queued; a plan without steps has no jobs', () => {
    const gate = { ...step('wave:0:gate', 'x', 0, 0), hostId: null, action: 'restart-gate' };
    assert.deepEqual(withFirstStepsQueued(PLAN, [gate], 'c1', NOW), { steps: [], laterSteps: [gate], batches: [] });
    assert.deepEqual(withFirstStepsQueued(PLAN, [], 'c1', NOW), { steps: [], laterSteps: [], batches: [] });
  });
});

describe('firstStepJobs', () => {
  test('gives each job the stored row ids, in the jobs’ order; a step not stored QUEUED is left out', () => {
    const { steps, laterSteps, batches } = withFirstStepsQueued(PLAN, fleet(2), 'c1', NOW);
    const stored = [...steps, ...laterSteps]
      .filter((s) => s.jobId !== undefined && s.key !== 'host:1:vm:2:stop')
      .map((s, i) => ({ id: `row-${i}`, key: s.key, jobId: s.jobId ?? '' }))
      .reverse();
    const jobs = firstStepJobs(batches, stored);
    assert.deepEqual(
      jobs.flatMap((j) => j.steps.map((s) => s.key)),
      ['host:0:vm:1:stop', 'host:1:vm:1:stop', 'host:0:vm:2:stop'],
    );
    for (const job of jobs) for (const s of job.steps) assert.equal(stored.find((r) => r.key === s.key)?.id, s.id);
    assert.deepEqual(
      jobs.flatMap((j) => j.steps.map((s) => s.lead)),
      [true, true, false],
      'the leads stay marked',
    );
    assert.deepEqual(firstStepJobs(batches, []), []);
  });
});
