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

function plan(steps: readonly NewPlanStep[], laterSteps?: readonly NewPlanStep[]): NewPlan {
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
    ...(laterSteps !== undefined ? { laterSteps } : {}),
    createdAt: new Date('2026-12-04T20:00:00.000Z'),
  };
}

async function stepStates(db: TestDatabase, planId: string): Promise<Array<[string, string, string | null]>> {
  const rows = await db.prisma.planStep.findMany({ where: { planId }, orderBy: { sequence: 'asc' } });
  return rows.map((r) => [r.key, r.state, r.jobId]);
}

/** A database and plan store of their own for the describe block that calls it. */
function planStoreFixture(): { readonly db: TestDatabase; readonly store: PlanStore } {
  const fixture = {} as { db: TestDatabase; store: PlanStore };
  before(async () => {
    fixture.db = await createTestDatabase();
    fixture.store = new PlanStore(fixture.db.prisma);
  });
  after(() => fixture.db?.drop());
  return fixture;
}

describe('a plan written with its first steps queued', () => {
  const t = planStoreFixture();

  test('the steps given a job are QUEUED under it, the others PENDING; the plan is RUNNING from its creation', async () => {
    const p = plan([step('a', 0, 'plan-x-steps-a-c1'), step('b', 1), step('c', 2, 'plan-x-steps-a-c1')]);
    const result = await t.store.writes.insertPlan(p);
    assert.equal(result.created, true);
    const rows = await t.db.prisma.planStep.findMany({ where: { planId: p.id }, orderBy: { sequence: 'asc' } });
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
    const stored = await t.db.prisma.plan.findUniqueOrThrow({ where: { id: p.id } });
    assert.equal(stored.state, 'RUNNING');
    assert.deepEqual(stored.startedAt, p.createdAt);
  });

  test('the job named in a born-queued step claims it, another claimant does not', async () => {
    const p = plan([step('a', 0, 'plan-y-steps-a-c1')]);
    const { queued } = await t.store.writes.insertPlan(p);
    const stepId = queued[0]?.id;
    assert.ok(stepId);
    assert.equal(await t.store.execution.claimStep(stepId, 'plan-y-steps-a-c1').then((s) => s?.id), stepId);
    assert.equal(await t.store.execution.claimStep(stepId, 'another-job'), undefined, 'RUNNING for its job');
  });

  test('without a job on any step: every step PENDING, the plan PENDING until a worker starts it', async () => {
    const p = plan([step('a', 0), step('b', 1)]);
    const result = await t.store.writes.insertPlan(p);
    assert.deepEqual(result.queued, []);
    const stored = await t.db.prisma.plan.findUniqueOrThrow({ where: { id: p.id } });
    assert.equal(stored.state, 'PENDING');
    assert.equal(stored.startedAt, null);
    const states = await t.db.prisma.planStep.findMany({ where: { planId: p.id }, select: { state: true } });
    assert.deepEqual(
      states.map((s) => s.state),
      ['PENDING', 'PENDING'],
    );
  });
});

describe('a plan written in one transaction: all of it or nothing', () => {
  const t = planStoreFixture();

  test('a step that cannot be written (a host that does not exist) leaves no plan, no step and no pending document', async () => {
    const broken = { ...step('b', 1, 'job-1'), hostId: randomUUID() };
    const p = plan([step('a', 0, 'job-1'), broken], [step('c', 2)]);
    await assert.rejects(t.store.writes.insertPlan(p), /foreign key/);
    assert.equal(await t.db.prisma.plan.count({ where: { id: p.id } }), 0);
    assert.equal(await t.db.prisma.planStep.count({ where: { planId: p.id } }), 0);
    assert.equal(await t.db.prisma.pendingPlanSteps.count({ where: { planId: p.id } }), 0);
  });

  test('two creations under one dedup key at once: one plan, both told its id, its steps written once', async () => {
    const first = { ...plan([step('a', 0, 'job-2')], [step('b', 1)]), dedupKey: 'outage:x:round:1' };
    const second = { ...plan([step('a', 0, 'job-3')], [step('b', 1)]), dedupKey: 'outage:x:round:1' };
    const results = await Promise.all([t.store.writes.insertPlan(first), t.store.writes.insertPlan(second)]);
    assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
    const winner = results.find((r) => r.created)?.planId;
    assert.deepEqual(
      results.map((r) => r.planId),
      [winner, winner],
    );
    assert.equal(await t.db.prisma.plan.count({ where: { dedupKey: 'outage:x:round:1' } }), 1);
    assert.equal(await t.db.prisma.planStep.count({ where: { planId: { in: [first.id, second.id] } } }), 1);
    assert.equal(await t.db.prisma.pendingPlanSteps.count({ where: { planId: { in: [first.id, second.id] } } }), 1);
  });
});

describe('a plan whose other steps are written after its first ones (PendingPlanSteps)', () => {
  const t = planStoreFixture();
  const NOW = new Date('2026-12-04T20:00:01.000Z');

  test('commits with its first steps only; the others become rows in one write, QUEUED where given a job', async () => {
    const p = plan([step('a', 0, 'job-a')], [step('b', 1, 'job-b'), step('c', 2)]);
    const born = await t.store.writes.insertPlan(p);
    assert.deepEqual(await stepStates(t.db, p.id), [['a', 'QUEUED', 'job-a']]);
    assert.equal(await t.store.pending.has(p.id), true);

    const written = await t.store.pending.write(p.id, NOW);
    assert.ok(written);
    assert.deepEqual(
      written.queued.map((q) => [q.key, q.jobId]),
      [['b', 'job-b']],
    );
    assert.equal(written.advanceNeeded, false, 'no step had ended');
    assert.deepEqual(await stepStates(t.db, p.id), [
      ['a', 'QUEUED', 'job-a'],
      ['b', 'QUEUED', 'job-b'],
      ['c', 'PENDING', null],
    ]);
    assert.equal(await t.store.pending.has(p.id), false);
    assert.equal(await t.store.pending.write(p.id, NOW), undefined, 'written once');
    assert.equal(born.queued.length, 1);
  });

  test('two writers at once (the orchestrator and a reconciler): each step is written once', async () => {
    const later = Array.from({ length: 500 }, (_, i) => step(`s${i}`, i + 1));
    const p = plan([step('a', 0, 'job-a')], later);
    await t.store.writes.insertPlan(p);
    const results = await Promise.all([t.store.pending.write(p.id, NOW), t.store.pending.write(p.id, NOW)]);
    assert.equal(results.filter((r) => r !== undefined).length, 1, 'one writer wrote them');
    assert.equal(await t.db.prisma.planStep.count({ where: { planId: p.id } }), 501);
  });

  test('a step that ended before the others were written asks for an advance', async () => {
    const p = plan([step('a', 0, 'job-a')], [step('b', 1)]);
    const { queued } = await t.store.writes.insertPlan(p);
    await t.db.prisma.planStep.update({ where: { id: queued[0]?.id ?? '' }, data: { state: 'SUCCEEDED' } });
    assert.equal((await t.store.pending.write(p.id, NOW))?.advanceNeeded, true);
  });

  test('a plan cancelled before its other steps were written gets them CANCELLED, without jobs', async () => {
    const p = plan([step('a', 0, 'job-a')], [step('b', 1, 'job-b'), step('c', 2)]);
    await t.store.writes.insertPlan(p);
    const cancel = await t.store.writes.cancel(p.id, { reason: 'power back', by: 'operator:ops' }, NOW);
    assert.equal(cancel.kind, 'cancelled');
    const written = await t.store.pending.write(p.id, NOW);
    assert.deepEqual(written?.queued, [], 'nothing to add to the queue');
    const rows = await t.db.prisma.planStep.findMany({ where: { planId: p.id }, orderBy: { sequence: 'asc' } });
    assert.deepEqual(
      rows.map((r) => [r.key, r.state, r.jobId]),
      [
        ['a', 'CANCELLED', 'job-a'],
        ['b', 'CANCELLED', null],
        ['c', 'CANCELLED', null],
      ],
    );
    assert.match(rows[2]?.error ?? '', /cancelled \(operator:ops\) before this step was written/);
    assert.deepEqual(rows[2]?.finishedAt, NOW);
  });

  test('counts the first steps whose command is not out yet: queued, or running without a write-ahead mark', async () => {
    const p = plan([step('a', 0, 'job-a'), step('b', 1, 'job-b'), step('c', 2, 'job-c'), step('d', 3, 'job-d')]);
    await t.store.writes.insertPlan(p);
    assert.equal(await t.store.pending.unsentSteps(p.id), 4);
    const byKey = async (key: string): Promise<string> =>
      (await t.db.prisma.planStep.findFirstOrThrow({ where: { planId: p.id, key } })).id;
    await t.store.execution.claimStep(await byKey('a'), 'job-a');
    assert.equal(await t.store.pending.unsentSteps(p.id), 4, 'claimed, its command not sent yet');
    await t.store.execution.saveProgress(await byKey('a'), { rungIndex: 0, rungStartedAt: 0, sent: true });
    await t.store.execution.claimStep(await byKey('b'), 'job-b');
    await t.db.prisma.planStep.update({ where: { id: await byKey('b') }, data: { commandSentAt: NOW } });
    await t.db.prisma.planStep.update({ where: { id: await byKey('c') }, data: { state: 'SUCCEEDED' } });
    assert.equal(await t.store.pending.unsentSteps(p.id), 1, 'only d is still queued');
  });

  test('a plan deleted takes its pending steps with it', async () => {
    const p = plan([step('a', 0, 'job-a')], [step('b', 1)]);
    await t.store.writes.insertPlan(p);
    await t.db.prisma.plan.delete({ where: { id: p.id } });
    assert.equal(await t.store.pending.has(p.id), false);
    assert.equal(await t.store.pending.write(p.id, NOW), undefined);
  });
});
