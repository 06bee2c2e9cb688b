import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

describe('access control: tokens, roles, 401/403/429', () => {
  let t: ApiTestApp;

  before(async () => {
    // TRUST_PROXY=loopback: the test speaks for several client addresses through X-Forwarded-For.
    t = await startApiTestApp({ AUTH_FAILURE_LIMIT: '10', AUTH_FAILURE_WINDOW_SECONDS: '60', TRUST_PROXY: 'loopback' });
  });
  after(async () => t?.close());

  test('probes and the OpenAPI document need no token', async () => {
    assert.equal((await t.call('GET', '/health', { token: null })).status, 200);
    const doc = await t.call<{
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    }>('GET', '/api/docs-json', { token: null });
    assert.equal(doc.status, 200);
    assert.ok(doc.body.components.securitySchemes.bearer);
    assert.deepEqual(doc.body.paths['/health']?.get?.security, []);
    assert.equal(doc.body.paths['/tokens']?.get?.security, undefined, 'protected routes keep the global requirement');
  });

  test('no token: 401 with WWW-Authenticate and the error shape', async () => {
    const r = await t.call<ErrorBody>('GET', '/tokens', { token: null });
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="nutfleet"');
    assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'statusCode']);
    assert.match(r.body.message, /missing bearer token/);
  });

  test('unknown, malformed token: 401 invalid_token', async () => {
    const r = await t.call<ErrorBody>('GET', '/tokens', { token: 'nf_' + 'A'.repeat(43) });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const bad = await t.call<ErrorBody>('GET', '/tokens', { headers: { authorization: 'Basic abc' }, token: null });
    assert.equal(bad.status, 401);
    assert.match(bad.body.message, /malformed Authorization header/);
  });

  test('viewer reads but cannot manage tokens: 403 names the role needed', async () => {
    const r = await t.call<ErrorBody>('GET', '/tokens', { token: t.tokens.viewer });
    assert.equal(r.status, 403);
    assert.match(r.body.message, /needs the admin role; token "test-viewer" has the viewer role/);
    const op = await t.call<ErrorBody>('POST', '/tokens', {
      token: t.tokens.operator,
      body: { name: 'x', role: 'viewer' },
    });
    assert.equal(op.status, 403);
  });

  test('admin creates, lists and revokes tokens; the token is shown once, revoked and expired ones are refused', async () => {
    const created = await t.call<{ id: string; token: string; prefix: string; role: string }>('POST', '/tokens', {
      body: { name: 'ci', role: 'operator' },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.token, /^nf_[A-Za-z0-9_-]{43}$/);
    assert.ok(created.body.token.startsWith(created.body.prefix));

    const list = await t.call<{ name: string; token?: string; tokenHash?: string }[]>('GET', '/tokens');
    assert.equal(list.status, 200);
    const ci = list.body.find((x) => x.name === 'ci');
    assert.ok(ci);
    assert.equal(ci.token, undefined);
    assert.equal(ci.tokenHash, undefined);
    assert.ok(!list.text.includes(created.body.token));

    assert.equal((await t.call('GET', '/audit?limit=1', { token: created.body.token })).status, 403);
    const dup = await t.call<ErrorBody & { fields: { field: string }[] }>('POST', '/tokens', {
      body: { name: 'ci', role: 'viewer' },
    });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.fields[0]?.field, 'name');

    const revoked = await t.call<{ revokedAt: string }>('DELETE', `/tokens/${created.body.id}`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    const after = await t.call<ErrorBody>('GET', '/tokens', { token: created.body.token });
    assert.equal(after.status, 401);
    assert.match(after.body.message, /revoked/);

    const stored = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    assert.notEqual(stored.tokenHash, created.body.token);
    assert.equal(stored.tokenHash.length, 64);

    const expiring = await t.call<{ id: string; token: string }>('POST', '/tokens', {
      body: { name: 'short', role: 'viewer', expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    assert.equal(expiring.status, 201);
    await t.db.prisma.apiToken.update({
      where: { id: expiring.body.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await t.call<ErrorBody>('GET', '/health', { token: expiring.body.token });
    assert.equal(expired.status, 200, 'public routes ignore tokens');
  });

  test('bad token input: 400 naming each field', async () => {
    const r = await t.call<{ fields: { field: string; reason: string }[] }>('POST', '/tokens', {
      body: { name: '', role: 'root', extra: 1 },
    });
    assert.equal(r.status, 400);
    const fields = r.body.fields.map((f) => f.field).sort();
    assert.deepEqual([...new Set(fields)], ['extra', 'name', 'role']);
    const malformed = await t.call<ErrorBody>('POST', '/tokens', {
      raw: { contentType: 'application/json', data: '{"name":' },
    });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.message, /malformed JSON/);
  });

  test('after many bad tokens from one address, bad ones get 429 everywhere but valid tokens always pass', async () => {
    const from = { 'x-forwarded-for': '198.51.100.7' };
    let last = 0;
    for (let i = 0; i < 30; i++) last = (await t.call('GET', '/tokens', { token: `nf_bad${i}`, headers: from })).status;
    assert.equal(last, 429);
    const r = await t.call<ErrorBody>('GET', '/hosts', { token: 'nf_' + 'Z'.repeat(43), headers: from });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.match(r.body.message, /too many failed authentications/);
    assert.equal((await t.call('GET', '/hosts', { token: null, headers: from })).status, 429, 'no token either');
    // /metrics and the queue inspector are throttled alike...
    assert.equal((await t.call('GET', '/metrics', { token: 'nf_bad', headers: from })).status, 429);
    assert.equal((await t.call('GET', '/admin/queues/api/queues', { token: 'nf_bad', headers: from })).status, 429);
    const forgedCookie = await t.call('GET', '/admin/queues/api/queues', {
      token: null,
      headers: { ...from, cookie: 'nutfleet_queues=forged' },
    });
    assert.equal(forgedCookie.status, 429);

    // ...and the owner is never locked out: a valid admin token passes on every surface, from the same address.
    assert.equal((await t.call('GET', '/tokens', { headers: from })).status, 200);
    assert.equal((await t.call('GET', '/metrics', { headers: from })).status, 200);
    assert.equal((await t.call('GET', '/admin/queues/api/queues', { headers: from })).status, 200);
    assert.equal((await t.call('GET', '/health', { token: null, headers: from })).status, 200);
    // An operator cancels a running plan during the lock-out.
    const plan = await t.db.prisma.plan.create({
      data: { kind: 'SHUTDOWN', mode: 'ARMED', state: 'RUNNING', reason: 'outage' },
    });
    const cancel = await t.call<{ state?: string }>('POST', `/plans/${plan.id}/cancel`, {
      token: t.tokens.operator,
      headers: from,
      body: { reason: 'power is back' },
    });
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    assert.ok((await t.db.prisma.plan.findUniqueOrThrow({ where: { id: plan.id } })).cancelledAt);
    // Another address is not affected by this one's failures.
    assert.equal(
      (await t.call('GET', '/hosts', { token: 'nf_bad', headers: { 'x-forwarded-for': '198.51.100.8' } })).status,
      401,
    );
  });

  test('failures are also counted per token prefix: guesses spread over addresses are throttled, the real token is not', async () => {
    const real = t.tokens.viewer;
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const guess =
        real.slice(0, 9) + String(i).padStart(2, '0') + real.slice(11, -1) + (real.endsWith('A') ? 'B' : 'A');
      last = (await t.call('GET', '/hosts', { token: guess, headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } }))
        .status;
    }
    assert.equal(last, 429, 'the 11th address guessing with that prefix is throttled');
    assert.equal(
      (await t.call('GET', '/hosts', { token: real, headers: { 'x-forwarded-for': '203.0.113.99' } })).status,
      200,
    );
  });
});
