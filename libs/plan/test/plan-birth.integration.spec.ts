import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { createTestDatabase, type TestDatabase } from '@nutfleet/testing';

import { type NewPlan, type NewPlanStep, PlanStore, type VmStopStepDetail } from '../src';

const detail: VmStopStepDetail = {
  kind: 'vm-stop',
  hostName: 'esx-01',
  vmId: '1',
  vmName: 'app01',
  batch: 0,
  ladder: [{ action: 'guest-shutdown', timeoutSeconds: 120 }],
  startOffsetSeconds: 0,
  deadlineOffsetSeconds: 120,
  predictedStartSeconds: 0,
  predictedEndSeconds: 30,
  why: 'test',
};

function step(key: string, sequence: number, jobId?: string): NewPlanStep {
  return {
    key,
    hostId: null,
    action: 'vm-stop',
    stage: 0,
    sequence,
    dependsOn: [],
    deadlineAt: null,
    detail,
    ...(jobId !== undefined ? { jobId } : {}),
  };
}

function plan(steps: readonly NewPlanStep[]): NewPlan {
  return {
    id: randomUUID(),
    kind: 'SHUTDOWN',
    mode: 'ARMED',
    reason: 'test',
    createdBy: 'test',
    targets: {},
    detail: {
      kind: 'shutdown',
      hostIds: [],
      upsIds: [],
      powerBackConfirmSeconds: 0,
      pointOfNoReturnSeconds: 60,
    } as never,
    steps,
    createdAt: new Date('2026-12-04T20:00:00.000Z'),
  };
}

describe('a plan written with its first steps queued', () => {
  let db: TestDatabase;
  let store: PlanStore;

  before(async () => {
    db = await createTestDatabase();
    store = new PlanStore(db.prisma);
  });
  after(() => db?.drop());

  test('the steps given a job are QUEUED under it, the others PENDING; the plan is RUNNING from its creation', async () => {
    const p = plan([step('a', 0, 'plan-x-steps-a-c1'), step('b', 1), step('c', 2, 'plan-x-steps-a-c1')]);
    const result = await store.writes.insertPlan(p);
    assert.equal(result.created, true);
    const rows = await db.prisma.planStep.findMany({ where: { planId: p.id }, orderBy: { sequence: 'asc' } });
    assert.deepEqual(
      rows.map((r) => [r.key, r.state, r.jobId]),
      [
        ['a', 'QUEUED', 'plan-x-steps-a-c1'],
        ['b', 'PENDING', null],
        ['c', 'QUEUED', 'plan-x-steps-a-c1'],
      ],
    );
    assert.deepEqual(
      [...result.queued].sort((x, y) => x.key.localeCompare(y.key)),
      rows.filter((r) => r.jobId !== null).map((r) => ({ id: r.id, key: r.key, jobId: r.jobId })),
      'the queued steps come back with their row ids, for their jobs',
    );
    const stored = await db.prisma.plan.findUniqueOrThrow({ where: { id: p.id } });
    assert.equal(stored.state, 'RUNNING');
    assert.deepEqual(stored.startedAt, p.createdAt);
  });

  test('the job named in a born-queued step claims it, another claimant does not', async () => {
    const p = plan([step('a', 0, 'plan-y-steps-a-c1')]);
    const { queued } = await store.writes.insertPlan(p);
    const stepId = queued[0]?.id;
    assert.ok(stepId);
    assert.equal(await store.execution.claimStep(stepId, 'plan-y-steps-a-c1').then((s) => s?.id), stepId);
    assert.equal(await store.execution.claimStep(stepId, 'another-job'), undefined, 'RUNNING for its job');
  });

  test('without a job on any step: every step PENDING, the plan PENDING until a worker starts it', async () => {
    const p = plan([step('a', 0), step('b', 1)]);
    const result = await store.writes.insertPlan(p);
    assert.deepEqual(result.queued, []);
    const stored = await db.prisma.plan.findUniqueOrThrow({ where: { id: p.id } });
    assert.equal(stored.state, 'PENDING');
    assert.equal(stored.startedAt, null);
    const states = await db.prisma.planStep.findMany({ where: { planId: p.id }, select: { state: true } });
    assert.deepEqual(
      states.map((s) => s.state),
      ['PENDING', 'PENDING'],
    );
  });
});
