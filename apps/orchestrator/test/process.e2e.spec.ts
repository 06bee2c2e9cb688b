import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
  createTestDatabase,
  createTestRedisPrefix,
  freePort,
  startAppProcess,
  type TestDatabase,
} from '@nutfleet/testing';

const ENTRIES = { orchestrator: 'dist/apps/orchestrator/src/main.js', worker: 'dist/apps/worker/src/main.js' } as const;

describe('process start and stop', () => {
  let db: TestDatabase;
  const redis = createTestRedisPrefix();

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
    await redis.cleanup();
  });

  for (const [name, entry] of Object.entries(ENTRIES)) {
    for (const [label, key, expected] of [
      [
        'missing',
        undefined,
        /^nutfleet \w+: invalid configuration: NUTFLEET_SECRET_KEY is missing \(generate one with: openssl rand -hex 32\)$/,
      ],
      [
        'malformed',
        'abc123',
        /^nutfleet \w+: invalid configuration: NUTFLEET_SECRET_KEY must be 32 bytes: 64 hex characters or base64 \(got 6 hex characters; .*\)$/,
      ],
    ] as const) {
      test(`${name} refuses to start with a ${label} NUTFLEET_SECRET_KEY, in one clear line`, async () => {
        const proc = startAppProcess(entry, {
          DATABASE_URL: db.url,
          ...(key === undefined ? {} : { NUTFLEET_SECRET_KEY: key }),
        });
        const { code } = await proc.exited;
        assert.notEqual(code, 0);
        const lines = proc.output().trim().split('\n');
        assert.equal(lines.length, 1, proc.output());
        assert.match(lines[0] ?? '', expected);
        assert.ok(lines[0]?.startsWith(`nutfleet ${name}:`));
      });
    }
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`orchestrator and worker start, serve, and exit 0 on ${signal}`, async () => {
      const port = await freePort();
      const env = {
        DATABASE_URL: db.url,
        REDIS_KEY_PREFIX: redis.prefix,
        NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
        HTTP_PORT: String(port),
        LOG_LEVEL: 'info',
      };
      const orchestrator = startAppProcess(ENTRIES.orchestrator, env);
      const worker = startAppProcess(ENTRIES.worker, env);
      try {
        await Promise.all([orchestrator.waitForOutput(/listening on/), worker.waitForOutput(/worker started/)]);
        const ready = await fetch(`http://127.0.0.1:${port}/ready`);
        assert.equal(ready.status, 200);

        orchestrator.child.kill(signal);
        worker.child.kill(signal);
        const [o, w] = await Promise.all([orchestrator.exited, worker.exited]);
        assert.deepEqual(o, { code: 0, signal: null }, orchestrator.output());
        assert.deepEqual(w, { code: 0, signal: null }, worker.output());
        assert.match(worker.output(), /no longer taking jobs/);
        assert.match(worker.output(), /disconnected from PostgreSQL/);
      } finally {
        orchestrator.child.kill('SIGKILL');
        worker.child.kill('SIGKILL');
      }
    });
  }
});
