import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { type Job, Queue, QueueEvents } from 'bullmq';

import { ConfigModule } from '@nutfleet/config';
import { PrismaModule } from '@nutfleet/db';
import { bullConnectionOptions, JobName, QueueName } from '@nutfleet/queue';
import { createTestDatabase, createTestRedisPrefix, testConfig, type TestDatabase } from '@nutfleet/testing';

import { type JobHandler } from '../src/jobs/job-handler';
import { JobHandlerRegistrationError, JobHandlerRegistry } from '../src/jobs/job-handler.registry';
import { QueueWorkers } from '../src/jobs/queue-workers';
import { QueueWorkersService } from '../src/jobs/queue-workers.service';
import { createWorkerApp } from '../src/worker.app';

const quiet = { debug: () => undefined, warn: () => undefined, error: () => undefined };

describe('worker', () => {
  let db: TestDatabase;
  const redis = createTestRedisPrefix();
  let queue: Queue;
  let events: QueueEvents;

  before(async () => {
    db = await createTestDatabase();
    const connection = bullConnectionOptions(redis.url, 'worker');
    queue = new Queue(QueueName.Maintenance, { connection, prefix: redis.prefix });
    events = new QueueEvents(QueueName.Maintenance, { connection, prefix: redis.prefix });
    await events.waitUntilReady();
  });

  after(async () => {
    await queue?.close();
    await events?.close();
    await db?.drop();
    await redis.cleanup();
  });

  test('refuses to start when a job has no handler', async () => {
    const config = testConfig({ DATABASE_URL: db.url, REDIS_KEY_PREFIX: redis.prefix });
    @Module({
      imports: [ConfigModule.forRoot(config), DiscoveryModule, PrismaModule],
      providers: [JobHandlerRegistry, QueueWorkersService],
    })
    class WorkerWithoutHandlers {}
    await assert.rejects(
      () => NestFactory.createApplicationContext(WorkerWithoutHandlers, { logger: false, abortOnError: false }),
      (e: Error) =>
        e instanceof JobHandlerRegistrationError && e.message.includes(`no handler for "${JobName.PrunePowerEvents}"`),
    );
  });

  test('prunes power events past the retention period and keeps recent ones', async () => {
    const config = testConfig({ DATABASE_URL: db.url, REDIS_KEY_PREFIX: redis.prefix });
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await db.prisma.powerEvent.createMany({
      data: [
        { type: 'STATUS_CHANGE', status: 'OB', receivedAt: old },
        { type: 'STATUS_CHANGE', status: 'OL', receivedAt: new Date() },
      ],
    });
    const app = await createWorkerApp(config);
    try {
      const job = await queue.add(JobName.PrunePowerEvents, { retentionDays: 30 }, { jobId: 'prune-test' });
      const result = (await job.waitUntilFinished(events, 15_000)) as { deleted: number };
      assert.equal(result.deleted, 1);
      const left = await db.prisma.powerEvent.findMany();
      assert.deepEqual(
        left.map((e) => e.status),
        ['OL'],
      );
    } finally {
      await app.close();
    }
  });

  test('prunes UPS samples past their retention and keeps recent ones', async () => {
    const config = testConfig({ DATABASE_URL: db.url, REDIS_KEY_PREFIX: redis.prefix });
    const server = await db.prisma.nutServer.create({
      data: { name: 'prune-site', host: '127.0.0.1', username: 'monitor', upses: { create: [{ name: 'ups-p' }] } },
      include: { upses: true },
    });
    const upsId = server.upses[0]?.id ?? '';
    await db.prisma.upsSample.createMany({
      data: [
        { upsId, at: new Date(Date.now() - 8 * 24 * 3600 * 1000), charge: 50 },
        { upsId, at: new Date(Date.now() - 6 * 24 * 3600 * 1000), charge: 60 },
        { upsId, at: new Date(), charge: 100 },
      ],
    });
    const app = await createWorkerApp(config);
    try {
      const job = await queue.add(JobName.PruneUpsSamples, { retentionDays: 7 }, { jobId: 'prune-samples-test' });
      const result = (await job.waitUntilFinished(events, 15_000)) as { deleted: number };
      assert.equal(result.deleted, 1);
      const left = await db.prisma.upsSample.findMany({ where: { upsId }, orderBy: { at: 'asc' } });
      assert.deepEqual(
        left.map((s) => s.charge),
        [60, 100],
      );
    } finally {
      await app.close();
    }
  });

  test('on stop, a running job is allowed to finish before the deadline', async () => {
    let finished = false;
    const slow: JobHandler = {
      handle: async () => {
        await new Promise((r) => setTimeout(r, 800));
        finished = true;
        return 'done';
      },
    };
    const workers = new QueueWorkers({
      redis: { url: redis.url },
      prefix: redis.prefix,
      concurrency: 2,
      handlers: new Map([[JobName.PrunePowerEvents, slow]]),
      log: quiet,
    });
    workers.start();
    const job = await queue.add(JobName.PrunePowerEvents, { retentionDays: 1 }, { jobId: 'drain-finishes' });
    await waitActive(queue, job);
    const { abandoned } = await workers.stop(5000);
    assert.deepEqual(abandoned, []);
    assert.equal(finished, true);
    assert.equal(await job.getState(), 'completed');
  });

  test('on stop, a job outlasting the deadline is let go (for another worker) and reported', async () => {
    const hang: JobHandler = { handle: () => new Promise((r) => setTimeout(r, 30_000).unref()) };
    const workers = new QueueWorkers({
      redis: { url: redis.url },
      prefix: redis.prefix,
      concurrency: 1,
      handlers: new Map([[JobName.PrunePowerEvents, hang]]),
      log: quiet,
    });
    workers.start();
    const job = await queue.add(JobName.PrunePowerEvents, { retentionDays: 1 }, { jobId: 'drain-deadline' });
    await waitActive(queue, job);
    const started = Date.now();
    const { abandoned } = await workers.stop(500);
    assert.ok(Date.now() - started < 5000, 'stop respects its deadline');
    assert.deepEqual(abandoned, [`${JobName.PrunePowerEvents} drain-deadline`]);
    assert.notEqual(await job.getState(), 'completed');
  });
});

async function waitActive(queue: Queue, job: Job): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await queue.getJobState(job.id ?? '')) === 'active') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${job.id} never became active`);
}
