import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { createTestRedisPrefix, databaseUrl, dropDatabase, freePort, REPO_ROOT, waitFor } from '@nutfleet/testing';

// The README's run command, as a user runs it: `npm start` (scripts/start.mjs) must create the
// database, migrate, seed, run both processes, answer /ready, and stop both cleanly on Ctrl-C.
const dbName = `nutfleet_test_quickstart_${randomBytes(4).toString('hex')}`;
const redis = createTestRedisPrefix();

after(async () => {
  await dropDatabase(dbName);
  await redis.cleanup();
});

test('npm start creates and migrates the database, serves /ready, and Ctrl-C stops everything with exit 0', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/start.mjs')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      DATABASE_URL: databaseUrl(dbName),
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
      HTTP_PORT: String(port),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitFor(
      'the API to be ready',
      async () => (await fetch(`http://127.0.0.1:${port}/ready`)).status === 200,
      120_000,
      500,
    );
    assert.match(output, new RegExp(`created database ${dbName}`));
    assert.match(output, /demo fleet in place/);
    assert.match(output, /worker started/);
    // The first start prints an admin token, the only way into a fresh installation's API.
    const token = /first start: created the admin API token[^\n]*\n\[nutfleet\]\s+(nf_\S+)/.exec(output)?.[1];
    assert.ok(token, output);
    const hosts = await fetch(`http://127.0.0.1:${port}/hosts?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(hosts.status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/hosts?limit=1`)).status, 401);

    child.kill('SIGINT');
    assert.equal(await exited, 0, output);
    assert.match(output, /"process":"orchestrator".*SIGINT received/);
    assert.match(output, /"process":"worker".*all running jobs finished/);
  } finally {
    child.kill('SIGKILL');
  }
});
