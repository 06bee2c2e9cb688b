import assert from 'node:assert/strict';
import { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type INestApplication } from '@nestjs/common';

import { testConfig, ThrowawayPostgres, ThrowawayRedis, waitFor } from '@nutfleet/testing';

import { createOrchestratorApp } from '../src/orchestrator.app';

interface ReadyBody {
  status: string;
  message?: string;
  down: string[];
  checks: Record<string, { status: string; error?: string }>;
}

// Fault tests: a PostgreSQL and a Redis of this test's own, stopped and restarted while the
// orchestrator keeps running. The shared servers are never touched.
describe('/health and /ready', () => {
  let postgres: ThrowawayPostgres;
  let redis: ThrowawayRedis;
  let app: INestApplication;
  let base: string;

  async function ready(): Promise<{ code: number; body: ReadyBody }> {
    const response = await fetch(`${base}/ready`);
    return { code: response.status, body: (await response.json()) as ReadyBody };
  }

  async function eventually(code: number, what: string): Promise<ReadyBody> {
    let last: { code: number; body: ReadyBody } | undefined;
    await waitFor(
      what,
      async () => {
        last = await ready();
        return last.code === code;
      },
      20_000,
      250,
    );
    assert.ok(last);
    return last.body;
  }

  before(async () => {
    [postgres, redis] = await Promise.all([ThrowawayPostgres.start(), ThrowawayRedis.start()]);
    app = await createOrchestratorApp(
      testConfig({ DATABASE_URL: postgres.url, REDIS_URL: redis.url, READY_CHECK_TIMEOUT_MS: '1000' }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  after(async () => {
    await app?.close();
    await Promise.all([postgres?.destroy(), redis?.stop()]);
  });

  test('/health answers while the process is up', async () => {
    const response = await fetch(`${base}/health`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'ok');
  });

  test('/ready is 200 when PostgreSQL and Redis answer', async () => {
    const { code, body } = await ready();
    assert.equal(code, 200);
    assert.deepEqual(body.down, []);
    assert.equal(body.checks.database?.status, 'up');
    assert.equal(body.checks.redis?.status, 'up');
  });

  test('Redis stopped: 503 naming redis; started again: 200 without restarting the app', async () => {
    await redis.stop();
    const down = await eventually(503, '/ready to report redis down');
    assert.deepEqual(down.down, ['redis']);
    assert.match(down.message ?? '', /redis unreachable/);
    assert.equal(down.checks.database?.status, 'up');
    assert.ok(down.checks.redis?.error, 'the failure is explained');

    await redis.resume();
    const back = await eventually(200, '/ready to recover once Redis is back');
    assert.deepEqual(back.down, []);
  });

  test('PostgreSQL stopped: 503 naming the database; started again: 200 without restarting the app', async () => {
    await postgres.stop();
    const down = await eventually(503, '/ready to report the database down');
    assert.deepEqual(down.down, ['database']);
    assert.match(down.message ?? '', /database unreachable/);

    await postgres.resume();
    const back = await eventually(200, '/ready to recover once PostgreSQL is back');
    assert.deepEqual(back.down, []);
  });

  test('the OpenAPI document and its UI are served', async () => {
    const doc = (await (await fetch(`${base}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/health'] && doc.paths['/ready']);
    const ui = await fetch(`${base}/api/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger/i);
  });
});
