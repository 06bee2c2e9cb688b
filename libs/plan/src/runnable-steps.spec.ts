import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type StepState } from './step-state';
import {
  fanOutRounds,
  leadsItsHost,
  overdueSteps,
  planOutcome,
  selectRunnableSteps,
  type StepView,
} from './runnable-steps';

const T0 = 1_000_000;
function step(key: string, stage: number, state: StepState, dependsOn: string[] = [], deadlineS = 100): StepView {
  return { id: key, key, stage, state, dependsOn, deadlineAt: T0 + deadlineS * 1000 };
}
const keys = (steps: readonly StepView[]): string[] => steps.map((s) => s.key).sort();

describe('selectRunnableSteps', () => {
  // Two hosts in stage 0 (A with two VM batches, B with none), one host in stage 1.
  const plan = (over: Record<string, StepState> = {}): StepView[] => [
    step('A:vm1', 0, over['A:vm1'] ?? 'PENDING', [], 30),
    step('A:vm2', 0, over['A:vm2'] ?? 'PENDING', ['A:vm1'], 60),
    step('A:off', 0, over['A:off'] ?? 'PENDING', ['A:vm2'], 90),
    step('B:off', 0, over['B:off'] ?? 'PENDING', [], 40),
    step('C:vm1', 1, over['C:vm1'] ?? 'PENDING', [], 120),
    step('C:off', 1, over['C:off'] ?? 'PENDING', ['C:vm1'], 150),
  ];

  test('a stage of 150,000 steps (5,000 hosts of 29 VMs): its deadline is read without overflowing the stack', () => {
    const big = Array.from({ length: 150_000 }, (_, i) => step(`h${i}:vm`, 0, 'PENDING', [], 30 + (i % 97)));
    const selection = selectRunnableSteps([...big, step('late:off', 1, 'PENDING')], T0);
    assert.equal(selection.runnable.length, 150_000);
    assert.deepEqual(selection.openStages, [0]);
  });

  test('at start: first batch of each host of the lowest stage only', () => {
    const s = selectRunnableSteps(plan(), T0);
    assert.deepEqual(keys(s.runnable), ['A:vm1', 'B:off']);
    assert.deepEqual(s.openStages, [0]);
    assert.equal(s.nextDeadlineAt, T0 + 30_000);
  });

  test('VM batches in order, then the host', () => {
    assert.deepEqual(keys(selectRunnableSteps(plan({ 'A:vm1': 'SUCCEEDED', 'B:off': 'RUNNING' }), T0).runnable), [
      'A:vm2',
    ]);
    assert.deepEqual(
      keys(selectRunnableSteps(plan({ 'A:vm1': 'SUCCEEDED', 'A:vm2': 'FAILED', 'B:off': 'RUNNING' }), T0).runnable),
      ['A:off'],
    );
  });

  test('a failed or stuck VM never keeps its host up past the VM deadline', () => {
    const stuck = plan({ 'A:vm1': 'RUNNING', 'B:off': 'SUCCEEDED' });
    assert.deepEqual(keys(selectRunnableSteps(stuck, T0 + 10_000).runnable), []);
    assert.deepEqual(keys(selectRunnableSteps(stuck, T0 + 30_000).runnable), ['A:vm2']);
  });

  test('the next stage opens when the previous is done', () => {
    const done = plan({ 'A:vm1': 'SUCCEEDED', 'A:vm2': 'SUCCEEDED', 'A:off': 'SUCCEEDED', 'B:off': 'SKIPPED' });
    const s = selectRunnableSteps(done, T0 + 1000);
    assert.deepEqual(keys(s.runnable), ['C:vm1']);
    assert.deepEqual(s.openStages, [0, 1]);
  });

  test('the next stage opens when the previous is past its deadline, even unfinished', () => {
    const late = plan({ 'A:vm1': 'SUCCEEDED', 'A:vm2': 'SUCCEEDED', 'A:off': 'RUNNING', 'B:off': 'SUCCEEDED' });
    assert.deepEqual(keys(selectRunnableSteps(late, T0 + 89_999).runnable), []);
    assert.deepEqual(keys(selectRunnableSteps(late, T0 + 90_000).runnable), ['C:vm1']);
  });

  test('queued, running, cancelled and finished steps are never selected again', () => {
    const s = selectRunnableSteps(plan({ 'A:vm1': 'QUEUED', 'B:off': 'CANCELLED' }), T0);
    assert.deepEqual(keys(s.runnable), []);
  });
});

describe('planOutcome', () => {
  test('running while any step is unfinished', () => {
    assert.equal(planOutcome([{ state: 'SUCCEEDED' }, { state: 'QUEUED' }], false), 'RUNNING');
  });
  test('succeeded, failed, cancelled', () => {
    assert.equal(planOutcome([{ state: 'SUCCEEDED' }, { state: 'SKIPPED' }], false), 'SUCCEEDED');
    assert.equal(planOutcome([{ state: 'SUCCEEDED' }, { state: 'FAILED' }], false), 'FAILED');
    assert.equal(planOutcome([{ state: 'SUCCEEDED' }, { state: 'CANCELLED' }], true), 'CANCELLED');
    // A cancel that came after everything had started cancels nothing: the plan completed.
    assert.equal(planOutcome([{ state: 'SUCCEEDED' }], true), 'SUCCEEDED');
  });
});

describe('overdueSteps', () => {
  test('only started steps past deadline + grace', () => {
    const steps = [step('a', 0, 'RUNNING', [], 10), step('b', 0, 'PENDING', [], 10), step('c', 0, 'QUEUED', [], 50)];
    assert.deepEqual(keys(overdueSteps(steps, T0 + 15_000, 5000)), ['a']);
  });
});

describe('restart gate steps', () => {
  test('a restart-gate step is never runnable here: the orchestrator completes it', () => {
    const steps = [
      {
        id: 'g',
        key: 'wave:0:gate',
        stage: 0,
        state: 'PENDING' as const,
        dependsOn: [],
        deadlineAt: null,
        action: 'restart-gate',
      },
      {
        id: 'w',
        key: 'host:h:wake',
        stage: 0,
        state: 'PENDING' as const,
        dependsOn: ['wave:0:gate'],
        deadlineAt: null,
        action: 'wake',
      },
    ];
    assert.deepEqual(selectRunnableSteps(steps, 0).runnable, []);
    const [gate, wake] = steps;
    assert.ok(gate && wake);
    const opened = [{ ...gate, state: 'SUCCEEDED' as const }, wake];
    assert.deepEqual(
      selectRunnableSteps(opened, 0).runnable.map((s) => s.id),
      ['w'],
    );
  });
});

describe('fanOutRounds', () => {
  const fanOutAcrossHosts = <T extends { hostId: string | null }>(steps: readonly T[]): T[] =>
    fanOutRounds(steps).map((entry) => entry.step);
  const s = (key: string, hostId: string | null): { key: string; hostId: string | null } => ({ key, hostId });

  test("every host's first step is queued before any host's second, each host keeping its order", () => {
    const ordered = fanOutAcrossHosts([
      s('a:vm1', 'a'),
      s('a:vm2', 'a'),
      s('a:vm3', 'a'),
      s('b:vm1', 'b'),
      s('c:vm1', 'c'),
      s('c:vm2', 'c'),
    ]);
    assert.deepEqual(
      ordered.map((x) => x.key),
      ['a:vm1', 'b:vm1', 'c:vm1', 'a:vm2', 'c:vm2', 'a:vm3'],
    );
  });

  test('steps of no host are never grouped together and keep their place in the first round', () => {
    const ordered = fanOutAcrossHosts([s('gate0', null), s('a:1', 'a'), s('a:2', 'a'), s('gate1', null)]);
    assert.deepEqual(
      ordered.map((x) => x.key),
      ['gate0', 'a:1', 'gate1', 'a:2'],
    );
  });

  test('an empty selection stays empty', () => {
    assert.deepEqual(fanOutAcrossHosts([]), []);
  });

  test("leads: a host's first shutdown step only, never a restart's or a UPS power cycle's", () => {
    assert.equal(leadsItsHost(0, 'vm-stop'), true);
    assert.equal(leadsItsHost(0, 'host-power-off'), true);
    assert.equal(leadsItsHost(1, 'vm-stop'), false, "a host's second step");
    for (const action of ['wake', 'wait-ssh', 'verify-esxi', 'power-on-vms', 'ups-power-cycle', undefined])
      assert.equal(leadsItsHost(0, action), false, String(action));
  });

  test("gives each step its round: 0 for its host's first, a step of no host always 0", () => {
    const rounds = fanOutRounds([s('a:vm1', 'a'), s('a:vm2', 'a'), s('gate', null), s('b:vm1', 'b'), s('a:off', 'a')]);
    assert.deepEqual(
      rounds.map((r) => `${r.step.key}@${r.round}`),
      ['a:vm1@0', 'gate@0', 'b:vm1@0', 'a:vm2@1', 'a:off@2'],
    );
  });
});
