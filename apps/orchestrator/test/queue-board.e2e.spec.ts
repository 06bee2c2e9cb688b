import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { randomBytes } from 'node:crypto';

import { type Job, Queue } from 'bullmq';

import { openSecret, sealSecret } from '@nutfleet/db';
import { ALL_QUEUES, bullConnectionOptions, JOB_QUEUE, JobName } from '@nutfleet/queue';
import { waitFor } from '@nutfleet/testing';

import { QueueWorkers } from '../../worker/src/jobs/queue-workers';
import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { queueBoardContents, redisContents } from './support/redis-contents';

// Bull Board is plain Express middleware, outside Nest's token guard: it checks admin access itself.
describe('queue inspector (Bull Board) at /admin/queues', () => {
  let api: ApiTestApp;

  before(async () => {
    api = await startApiTestApp();
  });

  after(async () => {
    await api?.close();
  });

  test('refuses anonymous callers and non-admin tokens, on the page and on its API', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      assert.equal((await fetch(`${api.base}${path}`)).status, 401, path);
      for (const role of ['viewer', 'operator'] as const) {
        const response = await fetch(`${api.base}${path}`, {
          headers: { authorization: `Bearer ${api.tokens[role]}` },
        });
        assert.equal(response.status, 403, `${path} as ${role}`);
      }
    }
    const forged = await fetch(`${api.base}/admin/queues/api/queues`, {
      headers: { cookie: 'nutfleet_queues=forged' },
    });
    assert.equal(forged.status, 401);
  });

  test('an admin bearer sees the board; a browser session cookie from POST /admin/queues/session works too', async () => {
    const page = await fetch(`${api.base}/admin/queues`, { headers: { authorization: `Bearer ${api.tokens.admin}` } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    assert.equal((await api.call('POST', '/admin/queues/session', { token: api.tokens.operator })).status, 403);
    const opened = await api.call('POST', '/admin/queues/session');
    assert.equal(opened.status, 204);
    const setCookie = opened.headers.get('set-cookie') ?? '';
    assert.match(
      setCookie,
      /nutfleet_queues=[A-Za-z0-9_-]{43}; Max-Age=3600; Path=\/admin\/queues; Expires=[^;]+; HttpOnly; SameSite=Strict/,
    );
    const cookie = setCookie.split(';')[0] ?? '';
    assert.ok(!setCookie.includes(api.tokens.admin), 'the cookie is not the token');
    const queues = await fetch(`${api.base}/admin/queues/api/queues`, { headers: { cookie } });
    assert.equal(queues.status, 200);
    const body = (await queues.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    assert.deepEqual(body.queues.map((q) => q.name).sort(), [...ALL_QUEUES].sort());
    assert.ok(
      body.queues.every((q) => q.readOnlyMode),
      'read-only',
    );
  });

  test('a job that failed with a secret in its error: Bull Board and the Redis record show it masked, the retry succeeds', async () => {
    const canary = `canary-${randomBytes(6).toString('hex')}`;
    const sealed = sealSecret(canary, api.config.secretKey, 'host:test:password');
    const queueName = JOB_QUEUE[JobName.DiscoverHost];
    let attempts = 0;
    const workers = new QueueWorkers({
      redis: { url: api.config.redis.url },
      prefix: api.config.redis.keyPrefix,
      concurrency: 1,
      queues: [queueName],
      handlers: new Map([
        [
          JobName.DiscoverHost,
          {
            // As a handler does: opens the host's password, then a command quoting it times out.
            handle: async (job: Job) => {
              attempts++;
              const password = openSecret(sealed, [api.config.secretKey], 'host:test:password');
              if (job.attemptsMade === 0)
                throw new Error(`Command on 10.0.0.1:22 did not finish: 'login' '-p' '${password}'`);
              return { ok: true };
            },
          },
        ],
      ]),
      log: { debug: () => undefined, warn: () => undefined, error: () => undefined },
    });
    workers.start();
    const queue = new Queue(queueName, {
      connection: bullConnectionOptions(api.config.redis.url, 'producer'),
      prefix: api.config.redis.keyPrefix,
    });
    try {
      const job = await queue.add(JobName.DiscoverHost, { hostId: 'h', runId: 'r' }, { attempts: 2, backoff: 10 });
      await waitFor('the retry to succeed', async () => (await queue.getJob(job.id ?? ''))?.finishedOn !== undefined);
      assert.equal(attempts, 2);
      const board = await queueBoardContents(api.base, ALL_QUEUES, { authorization: `Bearer ${api.tokens.admin}` });
      const records = await redisContents(api.config.redis.url, api.config.redis.keyPrefix);
      assert.match(board, /'login' '-p' '\*\*\*'/, 'the failure is shown, masked');
      assert.match(records, /'login' '-p' '\*\*\*'/, 'the failure is stored, masked');
      assert.ok(!board.includes(canary) && !records.includes(canary), 'the secret is nowhere');
    } finally {
      await queue.close();
      await workers.stop(2000);
    }
  });
});
