import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { InvalidJobIdError, isPlanStepsJobId, jobId, planStepsJobId } from './job-id';
import { ALL_JOBS, JOB_QUEUE } from './job-names';
import { JOB_OPTIONS } from './job-options';
import { ALL_QUEUES } from './queue-names';
import { bullConnectionOptions } from './redis-connection';

describe('jobId', () => {
  test('is deterministic for the same work', () => {
    assert.equal(jobId('plan', 'a1b2', 'step', 'host-7.poweroff'), 'plan-a1b2-step-host-7.poweroff');
    assert.equal(jobId('plan', 'a1b2', 'step', 'host-7.poweroff'), jobId('plan', 'a1b2', 'step', 'host-7.poweroff'));
  });

  test('refuses ":" (BullMQ key separator), spaces and empty parts', () => {
    for (const bad of ['a:b', 'a b', '', 'x/y']) assert.throws(() => jobId('plan', bad), InvalidJobIdError);
  });

  test('refuses an all-digit id, which BullMQ reserves', () => {
    assert.throws(() => jobId(1234), /all digits/);
    assert.equal(jobId('p', 12), 'p-12');
  });
});

describe('planStepsJobId', () => {
  const plan = '0b8f4c1e-2d7a-4f3b-9c61-5a0e7d2b4c98';

  test('names the plan, the first step (":" made ".") and the advance; BullMQ accepts it', () => {
    const id = planStepsJobId(plan, 'host:42:vm:7:stop', 'a1b2c3');
    assert.equal(id, `plan-${plan}-steps-host.42.vm.7.stop-a1b2c3`);
    assert.ok(!id.includes(':'));
  });

  test('two advances queuing batches that start with the same step get different ids', () => {
    assert.notEqual(planStepsJobId(plan, 'host:1:power-off', 'x1'), planStepsJobId(plan, 'host:1:power-off', 'x2'));
  });

  test('tells its ids from a direct runner claimant and from another plan', () => {
    const id = planStepsJobId(plan, 'host:1:power-off', 'x1');
    assert.ok(isPlanStepsJobId(id, plan));
    assert.ok(!isPlanStepsJobId(id, 'another-plan'));
    assert.ok(!isPlanStepsJobId('direct:worker-1:4242', plan));
    assert.ok(!isPlanStepsJobId(`plan-${plan}-advance`, plan));
  });
});

describe('job registry', () => {
  test('every job has a queue that exists and explicit options that keep failures', () => {
    for (const job of ALL_JOBS) {
      assert.ok(ALL_QUEUES.includes(JOB_QUEUE[job]), job);
      const options = JOB_OPTIONS[job];
      assert.ok((options.attempts ?? 0) >= 1, job);
      assert.notEqual(options.removeOnFail, true, `${job} would drop failed jobs`);
    }
  });
});

describe('bullConnectionOptions', () => {
  test('reads host, port, credentials, database and TLS from the URL', () => {
    const o = bullConnectionOptions('rediss://user:p%40ss@redis.example:6380/2', 'worker');
    assert.equal(o.host, 'redis.example');
    assert.equal(o.port, 6380);
    assert.equal(o.username, 'user');
    assert.equal(o.password, 'p@ss');
    assert.equal(o.db, 2);
    assert.ok(o.tls);
    assert.equal(o.maxRetriesPerRequest, null);
  });

  test('producers fail fast while Redis is down', () => {
    const o = bullConnectionOptions('redis://127.0.0.1:6379', 'producer');
    assert.equal(o.enableOfflineQueue, false);
    assert.equal(o.port, 6379);
    assert.equal(o.db, 0);
  });
});
