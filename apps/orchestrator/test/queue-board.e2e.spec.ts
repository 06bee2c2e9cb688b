import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ALL_QUEUES } from '@nutfleet/queue';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';

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
});
