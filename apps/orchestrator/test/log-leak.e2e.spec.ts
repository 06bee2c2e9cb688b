import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ALL_QUEUES } from '@nutfleet/queue';
import {
  type AppProcess,
  buildVibFixture,
  createTestDatabase,
  createTestRedisPrefix,
  type EsxiFleet,
  freePort,
  startAppProcess,
  startEsxiFleet,
  type TestDatabase,
  type TestRedisPrefix,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { fingerprint, PRIVATE_KEY_MARKER, SECRETS } from './support/fixtures';
import { insertNutServer } from './support/nut-server-rows';
import { queueBoardContents, redisContents } from './support/redis-contents';
import { insertFedHost, type RolloutView, waitRolloutDone } from './support/rollout-fleet';

// The compiled orchestrator and worker as processes at debug level: every line they print,
// every response the API gives, every job record in Redis and what Bull Board shows, during
// scenarios that handle credentials and tokens, are searched for them.
describe('no secret in any log line, response, job record or Bull Board', () => {
  let db: TestDatabase;
  let redis: TestRedisPrefix;
  let app: AppProcess;
  let worker: AppProcess;
  let fleet: EsxiFleet;
  let base = '';
  let admin = '';
  const responses: string[] = [];

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token = admin,
    contentType = 'application/json',
  ): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    responses.push(text);
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // CSV
    }
    return { status: res.status, json };
  }

  const secretKey = randomBytes(32);
  const storage = mkdtempSync(join(tmpdir(), 'nutfleet-leak-artifacts-'));

  before(async () => {
    db = await createTestDatabase();
    redis = createTestRedisPrefix();
    admin = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'admin', role: 'admin' }))).token;
    const port = await freePort();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: secretKey.toString('hex'),
      HTTP_PORT: String(port),
      LOG_LEVEL: 'debug',
      POWER_MONITOR_ENABLED: 'false',
      NUTFLEET_DEMO: 'off',
      ARTIFACT_STORAGE_DIR: storage,
      // A hung command is abandoned (and the job retried) quickly.
      SSH_COMMAND_TIMEOUT_MS: '1500',
      PLAN_RECONCILE_INTERVAL_MS: '1000',
    };
    app = startAppProcess('dist/apps/orchestrator/src/main.js', env);
    worker = startAppProcess('dist/apps/worker/src/main.js', env);
    base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the orchestrator to serve /health',
      async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
      60_000,
      200,
    );
    await worker.waitForOutput(/serving \d+ job types/, 60_000);
  });

  after(async () => {
    app?.child.kill('SIGTERM');
    worker?.child.kill('SIGTERM');
    await app?.exited;
    await worker?.exited;
    await fleet?.stop();
    await db?.drop();
    await redis?.cleanup();
    rmSync(storage, { recursive: true, force: true });
  });

  test('API scenario with credentials, tokens, failures and import', async () => {
    const created = await call('POST', '/tokens', { name: 'ops', role: 'operator' });
    const opsToken = (created.json as { token: string }).token;
    assert.match(opsToken, /^nf_/);
    // An operator may not store it (and is not told it back); an admin may.
    const refused = await call(
      'POST',
      '/nut-servers',
      { name: 'nut', host: '10.0.0.1', username: 'mon', password: SECRETS.nutPassword },
      opsToken,
    );
    assert.equal(refused.status, 403);
    const server = await call('POST', '/nut-servers', {
      name: 'nut',
      host: '10.0.0.1',
      username: 'mon',
      password: SECRETS.nutPassword,
    });
    assert.equal(server.status, 201);
    const serverId = (server.json as { id: string }).id;
    assert.equal(
      (await call('PATCH', `/nut-servers/${serverId}`, { password: SECRETS.nutPassword + '-2' }, opsToken)).status,
      403,
    );
    await call('PATCH', `/nut-servers/${serverId}`, { password: SECRETS.nutPassword + '-2' });
    const ups = await call('POST', '/upses', { name: 'ups1', nutServerId: serverId }, opsToken);
    const host = await call('POST', '/hosts', {
      name: 'esx-1',
      address: '10.0.1.1',
      password: SECRETS.hostPassword,
      privateKey: SECRETS.privateKey,
      hostKeyFingerprint: fingerprint(9),
      feeds: [{ upsId: (ups.json as { id: string }).id }],
    });
    assert.equal(host.status, 201);
    const hostId = (host.json as { id: string }).id;
    // Secrets inside invalid requests must not be echoed either.
    assert.equal(
      (await call('PATCH', `/hosts/${hostId}`, { password: SECRETS.hostPassword, sshPort: 'x' })).status,
      400,
    );
    assert.equal(
      (await call('POST', '/hosts', { name: 'esx-1', address: '10.0.1.2', password: SECRETS.hostPassword })).status,
      409,
    );
    assert.equal((await call('POST', '/hosts', `{"name":"x","password":"${SECRETS.hostPassword}"`)).status, 400);
    const csv = `name,address,password,feeds\nesx-2,10.0.1.2,${SECRETS.hostPassword},ups1@nut\nesx-3,bad address,${SECRETS.hostPassword},\n`;
    assert.equal((await call('POST', '/hosts/import', csv, admin, 'text/csv')).status, 422);
    assert.equal(
      (await call('POST', '/hosts/import', csv.replace('bad address', '10.0.1.3'), admin, 'text/csv')).status,
      200,
    );
    await call('GET', '/hosts?limit=10');
    await call('GET', `/hosts/${hostId}`);
    await call('GET', '/hosts/export?format=csv');
    await call('GET', '/audit?limit=500');
    await call('GET', '/tokens');
    await call('GET', '/hosts', undefined, opsToken.slice(0, -2) + 'zz');
    await call('GET', '/hosts', undefined, admin + 'x');
    await call('DELETE', `/hosts/${hostId}`);

    // Let the last lines reach the pipe.
    await new Promise((r) => setTimeout(r, 300));
    const log = app.output();
    assert.ok(log.split('\n').length > 10, 'the scenario was logged');
    assert.ok(log.includes('"url":"/hosts') || log.includes('/hosts'), 'request lines are in the log');
    const secrets = {
      hostPassword: SECRETS.hostPassword,
      nutPassword: SECRETS.nutPassword,
      privateKey: PRIVATE_KEY_MARKER,
      adminToken: admin,
      adminTokenBody: admin.slice(12),
      opsToken,
      opsTokenBody: opsToken.slice(12),
    };
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!log.includes(secret), `the log contains ${name}`);
      const leaking = responses.filter(
        (r) =>
          r.includes(secret) && !(name.startsWith('opsToken') && r.includes('"name":"ops"') && r.includes('"token"')),
      );
      assert.deepEqual(leaking, [], `a response contains ${name}`);
    }
    const sealed = await db.prisma.host.findMany({ select: { passwordEnc: true } });
    for (const row of sealed)
      assert.ok(row.passwordEnc && !log.includes(row.passwordEnc), 'sealed values are not logged either');
  });

  test('a hung `esxcli … set` of NutPassword, retried: no password in responses, logs, Redis job records or Bull Board', async () => {
    const canary = `nut-canary-${randomBytes(6).toString('hex')}`;
    fleet = await startEsxiFleet({
      hosts: [{ acceptanceLevel: 'CommunitySupported', hostname: 'esx-leak' }],
      seed: 'log-leak',
    });
    const sim = fleet.host(0);
    const nut = await insertNutServer(db.prisma, secretKey, {
      name: 'nut-leak',
      host: 'nut-leak.lan',
      username: 'monuser',
      password: canary,
      upses: ['ups1'],
    });
    const hostId = await insertFedHost(db.prisma, secretKey, sim, { upsIds: [nut.upsId('ups1')], name: 'esx-leak' });
    const upload = await fetch(`${base}/artifacts?fileName=upsmon.vib`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' },
      body: buildVibFixture().bytes,
    });
    const artifact = (await upload.json()) as { id: string };
    assert.equal(upload.status, 201, JSON.stringify(artifact));
    // The set of NutPassword hangs once: the worker abandons it, BullMQ keeps the failure, the retry succeeds.
    fleet.injectFault(0, {
      kind: 'hanging-commands',
      match: /'set' '-o' '\/UserVars\/NutPassword'/,
      times: 1,
    });
    const viewer = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'leak-viewer', role: 'viewer' })))
      .token;
    const created = await call('POST', '/rollouts', {
      action: 'install',
      artifactId: artifact.id,
      target: { hosts: [hostId] },
      canaryCount: 0,
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const rolloutId = (created.json as { id: string }).id;
    const done = await waitRolloutDone(
      async () => (await call('GET', `/rollouts/${rolloutId}`, undefined, viewer)).json as RolloutView,
      90_000,
    );
    assert.equal(done.state, 'SUCCEEDED', JSON.stringify(done.hosts));
    assert.equal(sim.state.upsmon.current?.config['NutPassword'], canary, 'the password did reach the host');
    const hung = sim.commandLog.filter((e) => /'set' '-o' '\/UserVars\/NutPassword'/.test(e.line));
    assert.ok(hung.length >= 2, 'the set was sent, hung, and sent again');
    await call('GET', `/hosts/${hostId}`, undefined, viewer);
    await call('GET', `/plans/${done.planId}`, undefined, viewer);

    // Bull Board: its API, through a browser session (whose cookie must not be replayable from the logs).
    const session = await fetch(`${base}/admin/queues/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(session.status, 204);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const sessionId = cookie.split('=')[1] ?? '';
    assert.match(sessionId, /^[A-Za-z0-9_-]{43}$/);
    const boardText = await queueBoardContents(base, ALL_QUEUES, { cookie });
    const records = await redisContents(redis.url, redis.prefix);
    await new Promise((r) => setTimeout(r, 500));
    const logs = app.output() + worker.output();

    // The failure was recorded where the leaks were found: masked, not missing.
    const masked = /'-o' '\/UserVars\/NutPassword' '-s' '\*\*\*'/;
    assert.match(records, masked, 'the job record keeps the failure, with the password masked');
    assert.match(boardText, /did not finish within 1500 ms/, 'Bull Board shows the failed attempt');
    assert.match(logs, masked, 'the worker logged the failure, masked');
    for (const [where, text] of [
      ['a response', responses.join('\n')],
      ['the logs', logs],
      ['a Redis job record', records],
      ["Bull Board's API", boardText],
    ] as const) {
      assert.ok(!text.includes(canary), `${where} contains the NUT password`);
      assert.ok(!text.includes(sim.password), `${where} contains the host password`);
    }
    assert.ok(!logs.includes(sessionId), 'the queue-inspector session cookie is in the logs');
  });
});
