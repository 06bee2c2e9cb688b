import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
  type AppProcess,
  createTestDatabase,
  createTestRedisPrefix,
  freePort,
  startAppProcess,
  type TestDatabase,
  type TestRedisPrefix,
  waitFor,
} from '@nutfleet/testing';

import { issueApiToken } from '../src/auth/api-token.issuer';
import { fingerprint, PRIVATE_KEY_MARKER, SECRETS } from './support/fixtures';

// The compiled orchestrator as a process at debug level: every line it prints, and every response
// it gives during an API scenario that handles credentials and tokens, is searched for them.
describe('no secret in any log line or response', () => {
  let db: TestDatabase;
  let redis: TestRedisPrefix;
  let app: AppProcess;
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

  before(async () => {
    db = await createTestDatabase();
    redis = createTestRedisPrefix();
    admin = (await db.prisma.$transaction((tx) => issueApiToken(tx, { name: 'admin', role: 'admin' }))).token;
    const port = await freePort();
    app = startAppProcess('dist/apps/orchestrator/src/main.js', {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      NUTFLEET_SECRET_KEY: randomBytes(32).toString('hex'),
      HTTP_PORT: String(port),
      LOG_LEVEL: 'debug',
      POWER_MONITOR_ENABLED: 'false',
      NUTFLEET_DEMO: 'off',
    });
    base = `http://127.0.0.1:${port}`;
    await waitFor(
      'the orchestrator to serve /health',
      async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
      60_000,
      200,
    );
  });

  after(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await db?.drop();
    await redis?.cleanup();
  });

  test('API scenario with credentials, tokens, failures and import', async () => {
    const created = await call('POST', '/tokens', { name: 'ops', role: 'operator' });
    const opsToken = (created.json as { token: string }).token;
    assert.match(opsToken, /^nf_/);
    const server = await call(
      'POST',
      '/nut-servers',
      { name: 'nut', host: '10.0.0.1', username: 'mon', password: SECRETS.nutPassword },
      opsToken,
    );
    assert.equal(server.status, 201);
    const serverId = (server.json as { id: string }).id;
    await call('PATCH', `/nut-servers/${serverId}`, { password: SECRETS.nutPassword + '-2' }, opsToken);
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
});
