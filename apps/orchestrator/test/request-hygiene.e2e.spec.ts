import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { sseReader } from './support/sse-reader';

interface RawResult {
  status: number;
  ms: number;
  text: string;
}

/** A POST with a body over node:http; the server may answer before reading it (then the upload errors). */
function postRaw(base: string, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<RawResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
    });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, text }));
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function healthLatencies(base: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${base}/health`);
    await response.text();
    assert.equal(response.status, 200);
    times.push(performance.now() - started);
  }
  return times;
}

describe('request hygiene: headers, body limits before parsing, JSON depth, proxy trust, streams', () => {
  let t: ApiTestApp;
  const serverSockets: Socket[] = [];

  before(async () => {
    t = await startApiTestApp({
      TRUST_PROXY: 'loopback',
      SSE_MAX_STREAMS: '3',
      SSE_MAX_STREAMS_PER_TOKEN: '2',
      AUTH_FAILURE_LIMIT: '1000000',
    });
    t.app.getHttpServer().on('connection', (socket: Socket) => serverSockets.push(socket));
  });
  after(async () => t?.close());

  test('every response carries nosniff and no-framing headers, and no X-Powered-By', async () => {
    for (const [path, token] of [
      ['/health', null],
      ['/hosts', null],
      ['/hosts', undefined],
      ['/no-such-route', undefined],
      ['/api/docs-json', null],
      ['/api/docs', null],
      ['/ui/', null],
      ['/admin/queues', null],
      ['/admin/queues', undefined],
      ['/metrics', undefined],
    ] as const) {
      const r = await t.call('GET', path, { token });
      const where = `${path} (${r.status})`;
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', where);
      assert.equal(r.headers.get('x-frame-options'), 'DENY', where);
      assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, where);
      assert.equal(r.headers.get('x-powered-by'), null, where);
    }
  });

  test('unauthenticated 10 MB bodies are refused before they are read; health stays fast', async (ctx) => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x20);
    big.write('[');
    big.write(']', big.length - 1);
    const baseline = median(await healthLatencies(t.base, 20));
    const rssBefore = process.memoryUsage().rss;
    serverSockets.length = 0;
    const refusals: RawResult[] = [];
    const during: number[] = [];
    const flood = (async () => {
      for (let round = 0; round < 4; round++) {
        const batch = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            postRaw(t.base, '/hosts/import', big, i % 2 === 0 ? {} : { authorization: 'Bearer nf_' + 'x'.repeat(43) }),
          ),
        );
        refusals.push(...batch);
      }
    })();
    const probe = (async () => {
      while (refusals.length < 32) during.push(...(await healthLatencies(t.base, 1)));
    })();
    await Promise.all([flood, probe]);
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    // What the server read from the flood's connections (open or closed): a parsed upload is all 10 MB.
    const bytesRead = serverSockets.map((socket) => socket.bytesRead);
    const totalMb = bytesRead.reduce((a, b) => a + b, 0) / 1024 / 1024;
    ctx.diagnostic(
      `health p50 ${baseline.toFixed(1)} ms before, ${median(during).toFixed(1)} ms during 32 x 10 MB unauthenticated uploads; ` +
        `refusal p50 ${median(refusals.map((r) => r.ms)).toFixed(1)} ms; rss +${rssGrowthMb.toFixed(0)} MB; ` +
        `the server read ${totalMb.toFixed(1)} MB of the 320 MB sent (largest on one connection: ${Math.max(0, ...bytesRead)} bytes)`,
    );
    assert.deepEqual(new Set(refusals.map((r) => r.status)), new Set([401]));
    assert.match(refusals[0]?.text ?? '', /missing bearer token|invalid token/);
    // The server stopped reading each upload after at most a few socket buffers of its 10 MB.
    assert.ok(serverSockets.length >= 32, `${serverSockets.length} connections seen`);
    assert.ok(totalMb < 32, `the server read ${totalMb} MB`);
    assert.ok(median(refusals.map((r) => r.ms)) < 250, 'refused quickly');
    assert.ok(median(during) < 250, `health p50 during the flood: ${median(during)} ms`);
    assert.ok(rssGrowthMb < 100, `rss grew ${rssGrowthMb} MB`);
    // The same body with a valid token is read and handled (here: an import with bad rows).
    const authenticated = await postRaw(t.base, '/hosts/import', Buffer.from('[1]'), {
      authorization: `Bearer ${t.tokens.admin}`,
    });
    assert.equal(authenticated.status, 422);
    const small = await postRaw(t.base, '/hosts/import', Buffer.from('[1]'));
    assert.equal(small.status, 401, 'a small unauthenticated body gets the guard’s answer');
  });

  test('JSON nested 5,000 deep: 400 naming the limit, not 500; normal depth still validated', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    // Small enough to be parsed before authentication: refused while parsing, with or without a token.
    for (const token of [t.tokens.admin, null]) {
      const r = await t.call<{ message: string }>('POST', '/hosts', {
        token,
        raw: { contentType: 'application/json', data: `{"name":"x","address":${deep}}` },
      });
      assert.equal(r.status, 400);
      assert.match(r.body.message, /nested deeper than 64 levels/);
    }
    const shallow = await t.call('POST', '/hosts', { body: { name: 'x', address: [[['10.0.0.1']]] } });
    assert.equal(shallow.status, 400);
  });

  test('TRUST_PROXY: X-Forwarded-Proto from a trusted hop makes the queue-inspector cookie Secure', async () => {
    const plain = await t.call('POST', '/admin/queues/session');
    assert.equal(plain.status, 204);
    assert.doesNotMatch(plain.headers.get('set-cookie') ?? '', /Secure/);
    const proxied = await t.call('POST', '/admin/queues/session', { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(proxied.headers.get('set-cookie') ?? '', /; Secure/);
  });

  test('live streams are bounded per token (429) and per process (503); a revoked token’s streams are cut', async () => {
    const open = async (token: string): Promise<Response> =>
      fetch(`${t.base}/events/stream`, { headers: { authorization: `Bearer ${token}` } });
    const created = await t.call<{ id: string; token: string }>('POST', '/tokens', {
      body: { name: 'stream-viewer', role: 'viewer' },
    });
    const first = await open(created.body.token);
    const second = await open(created.body.token);
    assert.deepEqual([first.status, second.status], [200, 200]);
    const third = await open(created.body.token);
    assert.equal(third.status, 429);
    assert.match(await third.text(), /already has 2 live streams open here \(SSE_MAX_STREAMS_PER_TOKEN\)/);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    const other = await open(t.tokens.viewer);
    assert.equal(other.status, 200);
    const full = await open(t.tokens.operator);
    assert.equal(full.status, 503);
    assert.match(await full.text(), /already serves 3 live streams \(SSE_MAX_STREAMS\)/);

    // Revoked through this replica: both streams end at once, saying why.
    const streams = [sseReader(first.body), sseReader(second.body)];
    assert.equal((await t.call('DELETE', `/tokens/${created.body.id}`)).status, 200);
    for (const stream of streams) assert.ok(await stream.until(/stream closed: token revoked/, 3000), stream.text());
    // Revoked elsewhere (another replica, straight in the database): cut within the re-check period.
    const otherStream = sseReader(other.body);
    const viewer = await t.db.prisma.apiToken.findFirstOrThrow({ where: { name: 'test-viewer' } });
    await t.db.prisma.apiToken.update({ where: { id: viewer.id }, data: { revokedAt: new Date() } });
    assert.ok(await otherStream.until(/stream closed: token revoked/, 8000), otherStream.text());
    // Their slots are free again.
    const again = await open(t.tokens.admin);
    assert.equal(again.status, 200);
    await again.body?.cancel();
  });
});
