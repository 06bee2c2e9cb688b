import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { planStepsJobId } from './job-id';
import { PLAN_STEPS_PER_JOB } from './job-options';
import { planStepsJobData, stepBatches, stepsByCarrier } from './plan-step-batches';

const PLAN = '5d0c3a8e-7b21-4c9f-a1e4-3f6b8d2c9e10';
const steps = (n: number): Array<{ id: string; key: string }> =>
  Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, key: `host:${i}:power-off` }));

describe('stepBatches', () => {
  test('keeps the order, cuts every PLAN_STEPS_PER_JOB steps, the last batch shorter', () => {
    const all = steps(2 * PLAN_STEPS_PER_JOB + 3);
    const batches = stepBatches(PLAN, all, 'adv1');
    assert.deepEqual(
      batches.map((b) => b.steps.length),
      [PLAN_STEPS_PER_JOB, PLAN_STEPS_PER_JOB, 3],
    );
    assert.deepEqual(
      batches.flatMap((b) => b.steps),
      all,
      'every step once, in the order given',
    );
  });

  test('names each batch after its first step and the advance', () => {
    const batches = stepBatches(PLAN, steps(5), 'adv1', 2);
    assert.deepEqual(
      batches.map((b) => b.jobId),
      [
        planStepsJobId(PLAN, 'host:0:power-off', 'adv1'),
        planStepsJobId(PLAN, 'host:2:power-off', 'adv1'),
        planStepsJobId(PLAN, 'host:4:power-off', 'adv1'),
      ],
    );
    assert.equal(new Set(batches.map((b) => b.jobId)).size, 3);
  });

  test('no steps, no batch; a size that is not a positive integer is refused', () => {
    assert.deepEqual(stepBatches(PLAN, [], 'adv1'), []);
    for (const size of [0, -1, 1.5]) assert.throws(() => stepBatches(PLAN, steps(3), 'adv1', size), RangeError);
  });
});

describe('stepsByCarrier', () => {
  test('groups the steps of one recorded plan.steps job under its id, in their order', () => {
    const a = planStepsJobId(PLAN, 'host:0:power-off', 'adv1');
    const b = planStepsJobId(PLAN, 'host:5:power-off', 'adv2');
    const open = [
      { id: '1', key: 'host:0:power-off', jobId: a },
      { id: '2', key: 'host:5:power-off', jobId: b },
      { id: '3', key: 'host:1:power-off', jobId: a },
    ];
    assert.deepEqual(stepsByCarrier(PLAN, open), [
      { jobId: a, steps: [open[0], open[2]] },
      { jobId: b, steps: [open[1]] },
    ]);
  });

  test('a step claimed by a direct runner, by no one, or under another plan gets a job of its own, the same in every worker', () => {
    const open = [
      { id: '1', key: 'host:0:power-off', jobId: 'direct:worker-a:4242' },
      { id: '2', key: 'host:1:power-off', jobId: null },
      { id: '3', key: 'host:2:power-off', jobId: planStepsJobId('another-plan', 'host:2:power-off', 'adv1') },
    ];
    const groups = stepsByCarrier(PLAN, open);
    assert.deepEqual(
      groups.map((g) => g.steps.map((s) => s.id)),
      [['1'], ['2'], ['3']],
    );
    assert.deepEqual(
      groups.map((g) => g.jobId),
      open.map((s) => planStepsJobId(PLAN, s.key, 'reconciled')),
    );
    assert.deepEqual(stepsByCarrier(PLAN, open), groups, 'deterministic');
  });
});

describe('planStepsJobData', () => {
  test('carries each step by row id and key, marking only the leads', () => {
    assert.deepEqual(
      planStepsJobData(PLAN, {
        jobId: 'j',
        steps: [
          { id: 'a', key: 'host:a:vm:1:stop', lead: true },
          { id: 'b', key: 'host:a:vm:2:stop', lead: false },
          { id: 'c', key: 'host:c:power-off' },
        ],
      }),
      {
        planId: PLAN,
        steps: [
          { stepId: 'a', stepKey: 'host:a:vm:1:stop', lead: true },
          { stepId: 'b', stepKey: 'host:a:vm:2:stop' },
          { stepId: 'c', stepKey: 'host:c:power-off' },
        ],
      },
    );
  });
});
