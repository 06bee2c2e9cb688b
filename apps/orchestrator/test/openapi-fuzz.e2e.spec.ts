import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ALL_QUEUES } from '@nutfleet/queue';

import { type ApiTestApp, startApiTestApp } from './support/api-test-app';
import { fingerprint, PRIVATE_KEY_MARKER, SECRETS } from './support/fixtures';
import { queueBoardContents, redisContents } from './support/redis-contents';

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

describe(`OpenAPI-driven fuzz (seed ${SEED})`, () => {
  let t: ApiTestApp;
  let doc: OpenApi;
  const ids: string[] = [];
  let createdToken = '';
  const random = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  before(async () => {
    t = await startApiTestApp({ AUTH_FAILURE_LIMIT: '1000000' });
    // Routes that reach out (NUT server test, SSH key scan, discovery) stay on loopback, on ports
    // nothing listens on: they fail at once, as they would for an unreachable server or host.
    const server = await t.call<{ id: string }>('POST', '/nut-servers', {
      body: { name: 'nut', host: '127.0.0.1', port: 1, username: 'mon', password: SECRETS.nutPassword },
    });
    const ups = await t.call<{ id: string }>('POST', '/upses', { body: { name: 'ups1', nutServerId: server.body.id } });
    const group = await t.call<{ id: string }>('POST', '/groups', { body: { name: 'g1' } });
    const policy = await t.call<{ id: string }>('POST', '/policies', { body: { name: 'p1' } });
    const host = await t.call<{ id: string }>('POST', '/hosts', {
      body: {
        name: 'esx-1',
        address: '127.0.0.1',
        sshPort: 1,
        password: SECRETS.hostPassword,
        privateKey: SECRETS.privateKey,
        hostKeyFingerprint: fingerprint(3),
        feeds: [{ upsId: ups.body.id }],
      },
    });
    const token = await t.call<{ id: string; token: string }>('POST', '/tokens', {
      body: { name: 'fuzz-made', role: 'operator' },
    });
    createdToken = token.body.token;
    ids.push(server.body.id, ups.body.id, group.body.id, policy.body.id, host.body.id);
    doc = (await t.call<OpenApi>('GET', '/api/docs-json', { token: null })).body;
  });
  after(async () => t?.close());

  function resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop() as string]);
    return schema;
  }

  function junkValue(depth = 0): unknown {
    const options: (() => unknown)[] = [
      () => null,
      () => true,
      () => -1,
      () => 1e308,
      () => -0.5,
      () => 2 ** 53 + 1,
      () => '',
      () => 'x'.repeat(200_000),
      () => '\u0000\uffff\ud800',
      () => '\'; DROP TABLE "Host"; --',
      () => '../../etc/passwd',
      () => '{{7*7}}${7*7}',
      () => ['a', 1, null],
      () => ({ $gt: '' }),
      () => ({ __proto__: { polluted: true }, constructor: { prototype: { x: 1 } } }),
      () => (depth < 3 ? { nested: junkValue(depth + 1), list: [junkValue(depth + 1)] } : {}),
      () => nest(200),
    ];
    return pick(options)();
  }

  function nest(levels: number): unknown {
    let value: unknown = 'deep';
    for (let i = 0; i < levels; i++) value = random() < 0.5 ? [value] : { a: value };
    return value;
  }

  /** A body that is valid-looking except for one or more broken fields. */
  function mutatedBody(schema: Schema): unknown {
    const s = resolve(schema);
    if (s.type === 'array') return random() < 0.5 ? [mutatedBody(s.items ?? {})] : junkValue();
    const body: Record<string, unknown> = {};
    const props = Object.entries(s.properties ?? {});
    for (const [name, prop] of props) {
      const p = resolve(prop);
      if (random() < 0.35) continue; // drop it, required or not
      if (random() < 0.5) body[name] = junkValue();
      else if (p.enum) body[name] = pick(p.enum);
      else if (p.type === 'integer' || p.type === 'number') body[name] = pick([0, 1, 22, 65535, 65536, -3, 1.5, '12']);
      else if (p.type === 'boolean') body[name] = pick([true, false, 'true', 0]);
      else if (p.type === 'array') body[name] = pick([[], ['x'], [{}], 'a;b', [junkValue()]]);
      else body[name] = pick(['ok', 'esx-1', '10.0.0.1', ids[0], '', 'a'.repeat(300)]);
    }
    if (random() < 0.2) body[pick(['extra', 'id', 'passwordEnc', 'trustState', '__proto__'])] = junkValue();
    return body;
  }

  function pathValue(): string {
    return pick([
      ...ids,
      ...ids,
      '00000000-0000-4000-8000-000000000000',
      'not-a-uuid',
      '%00',
      '..%2F..%2Fetc',
      'x'.repeat(3000),
      '%E0%A4%A',
      "1' OR '1'='1",
      'export',
      'import',
    ]);
  }

  function queryString(op: Operation): string {
    const parts: string[] = [];
    for (const p of op.parameters ?? []) {
      if (p.in !== 'query' || random() < 0.4) continue;
      const raw = pick([
        '',
        '-1',
        '0',
        '501',
        'abc',
        'true',
        '1e3',
        'x'.repeat(5000),
        '%ZZ',
        '2026-13-45',
        'ups1@nut',
        'TRUSTED',
        '[]',
        'null',
      ]);
      parts.push(`${encodeURIComponent(p.name)}=${raw.startsWith('%') ? raw : encodeURIComponent(raw)}`);
      if (random() < 0.1) parts.push(`${encodeURIComponent(p.name)}=second`);
    }
    if (random() < 0.15) parts.push('unknownParam=1');
    return parts.length ? `?${parts.join('&')}` : '';
  }

  function authFor(op: Operation): { token?: string | null; headers?: Record<string, string> } {
    if (op.security && op.security.length === 0) return { token: null };
    const r = random();
    if (r < 0.55) return {}; // admin
    if (r < 0.65) return { token: t.tokens.viewer };
    if (r < 0.7) return { token: t.tokens.operator };
    if (r < 0.75) return { token: null };
    if (r < 0.8)
      return {
        token: null,
        headers: {
          authorization: pick(['Bearer', 'Basic YWRtaW46YWRtaW4=', 'Bearer a b', 'bearer ' + 'z'.repeat(10_000)]),
        },
      };
    return {
      token: pick(['nf_' + 'A'.repeat(43), 'nf_short', t.tokens.admin.slice(0, -1) + 'x', '\u00e9\u00e8', '../../']),
    };
  }

  test('≥1,000 malformed requests from the OpenAPI document: no 5xx but 502, no secret in any response', async () => {
    const operations: { method: string; path: string; op: Operation }[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        // Server-sent event streams never end: a request to them is not a request/response pair.
        const streams = Object.values(op.responses ?? {}).some((r) => r.content && 'text/event-stream' in r.content);
        if (!streams && !/\/stream$/.test(path)) operations.push({ method: method.toUpperCase(), path, op });
      }
    }
    assert.ok(operations.length >= 25, `the document lists ${operations.length} operations`);
    const failures: string[] = [];
    const secrets = [
      SECRETS.hostPassword,
      SECRETS.nutPassword,
      PRIVATE_KEY_MARKER,
      createdToken,
      ...Object.values(t.tokens),
    ];
    let sent = 0;
    const rounds = Math.ceil(1200 / operations.length);
    for (let round = 0; round < rounds; round++) {
      for (const { method, path, op } of operations) {
        const url = path.replace(/\{[^}]+\}/g, () => pathValue()) + queryString(op);
        const auth = authFor(op);
        const bodySchema = op.requestBody?.content['application/json']?.schema;
        let options: Parameters<ApiTestApp['call']>[2] = { ...auth };
        if (method !== 'GET' && method !== 'DELETE') {
          const r = random();
          if (r < 0.12)
            options = {
              ...auth,
              raw: {
                contentType: 'application/json',
                data: pick(['{', '{"a":', '[1,]', 'nul', '"\\ud800"', '{"a":1}}', '\u0000']),
              },
            };
          else if (r < 0.18)
            options = {
              ...auth,
              raw: {
                contentType: pick(['text/csv', 'text/plain', 'application/xml', 'multipart/form-data']),
                data: 'name,address\n"x,\n',
              },
            };
          else if (r < 0.24) options = { ...auth, body: pick([null, 42, 'str', [], [[]], nest(500)]) };
          else options = { ...auth, body: mutatedBody(bodySchema ?? {}) };
        }
        let status: number;
        let text: string;
        try {
          const res = await t.call(method, url, options);
          status = res.status;
          text = res.text;
        } catch (error) {
          failures.push(
            `${method} ${url.slice(0, 120)} ${JSON.stringify(options).slice(0, 200)}: request failed: ${String(error)}`,
          );
          continue;
        }
        sent++;
        // A 5xx the operation documents (502: the host or NUT server could not be reached) is an answer.
        if (status >= 500 && !(String(status) in (op.responses ?? {})))
          failures.push(`${method} ${url.slice(0, 120)} -> ${status}: ${text.slice(0, 300)}`);
        for (const secret of secrets) {
          if (text.includes(secret))
            failures.push(`${method} ${url.slice(0, 120)} -> ${status}: response contains a secret`);
        }
      }
    }
    assert.ok(sent >= 1000, `only ${sent} requests were sent`);
    const operationsFailing = [...new Set(failures.map((f) => f.replace(/\?.*? ->/, ' ->').split(':')[0]))];
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} failures on: ${operationsFailing.join(', ')}`);
    // What the fuzzing queued (discoveries, rollouts, notifications) holds ids, never a secret:
    // neither in Redis nor in what Bull Board shows.
    const stored = {
      redis: await redisContents(t.config.redis.url, t.config.redis.keyPrefix),
      board: await queueBoardContents(t.base, ALL_QUEUES, { authorization: `Bearer ${t.tokens.admin}` }),
    };
    assert.match(stored.redis, /"name":|:meta/, 'the scan read job records');
    for (const [where, text] of Object.entries(stored))
      for (const secret of secrets) assert.ok(!text.includes(secret), `${where} holds a secret`);
    // The server is still healthy and the data still there.
    assert.equal((await t.call('GET', '/health', { token: null })).status, 200);
  });
});
