import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseConfig } from './app-config';

const HEX_KEY = 'a'.repeat(64);
const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/nutfleet', NUTFLEET_SECRET_KEY: HEX_KEY };

function problems(env: Record<string, string | undefined>): string[] {
  const result = parseConfig(env);
  assert.equal(result.ok, false, 'expected the configuration to be refused');
  return result.ok ? [] : result.problems;
}

describe('parseConfig', () => {
  test('applies the documented defaults', () => {
    const result = parseConfig(base);
    assert.ok(result.ok);
    assert.equal(result.config.http.port, 3000);
    assert.equal(result.config.http.host, '127.0.0.1');
    assert.equal(result.config.redis.url, 'redis://127.0.0.1:6379');
    assert.equal(result.config.redis.keyPrefix, 'nutfleet');
    assert.equal(result.config.worker.concurrency, 16);
    assert.equal(result.config.shutdownTimeoutMs, 30_000);
    assert.equal(result.config.log.level, 'info');
    assert.equal(result.config.secretKey.length, 32);
  });

  test('PUBLIC_URL: links use it (without a trailing slash); without it, the listening address', () => {
    const url = (env: Record<string, string>): string => {
      const result = parseConfig({ ...base, ...env });
      assert.ok(result.ok);
      return result.config.http.publicUrl;
    };
    assert.equal(url({ PUBLIC_URL: 'https://nutfleet.example.org/ops/' }), 'https://nutfleet.example.org/ops');
    assert.equal(url({}), 'http://127.0.0.1:3000');
    assert.equal(url({ HTTP_HOST: '0.0.0.0', HTTP_PORT: '8080' }), 'http://127.0.0.1:8080');
    assert.equal(url({ HTTP_HOST: '::' }), 'http://[::1]:3000');
    const [line] = problems({ ...base, PUBLIC_URL: 'nutfleet.example.org' });
    assert.match(line ?? '', /^PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/);
  });

  test('names a missing secret key and says how to make one', () => {
    const [line] = problems({ DATABASE_URL: base.DATABASE_URL });
    assert.match(line ?? '', /^NUTFLEET_SECRET_KEY is missing .*openssl rand -hex 32/);
  });

  test('treats an empty variable as missing', () => {
    const [line] = problems({ ...base, NUTFLEET_SECRET_KEY: '' });
    assert.match(line ?? '', /^NUTFLEET_SECRET_KEY /);
  });

  for (const [label, key, reason] of [
    ['short hex', 'ab'.repeat(16), /got 32 hex characters/],
    ['long base64', Buffer.alloc(48, 1).toString('base64'), /got 48 bytes/],
    ['other characters', 'not a key at all!', /other characters/],
  ] as const) {
    test(`refuses a malformed secret key (${label})`, () => {
      const [line] = problems({ ...base, NUTFLEET_SECRET_KEY: key });
      assert.match(line ?? '', /^NUTFLEET_SECRET_KEY must be 32 bytes/);
      assert.match(line ?? '', reason);
    });
  }

  test('accepts a base64 key, standard or URL-safe', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    for (const encoded of [bytes.toString('base64'), bytes.toString('base64url')]) {
      const result = parseConfig({ ...base, NUTFLEET_SECRET_KEY: encoded });
      assert.ok(result.ok, encoded);
      assert.deepEqual(result.config.secretKey, bytes);
    }
  });

  test('reports every bad variable at once', () => {
    const lines = problems({
      DATABASE_URL: 'mysql://x',
      NUTFLEET_SECRET_KEY: HEX_KEY,
      HTTP_PORT: '70000',
      REDIS_URL: 'http://x',
    });
    assert.equal(lines.length, 3);
    assert.ok(lines.some((l) => l.startsWith('DATABASE_URL must be a postgresql:// URL')));
    assert.ok(lines.some((l) => l.startsWith('HTTP_PORT ')));
    assert.ok(lines.some((l) => l.startsWith('REDIS_URL must be a redis://')));
  });

  test('refuses a worker concurrency of zero', () => {
    const [line] = problems({ ...base, WORKER_CONCURRENCY: '0' });
    assert.match(line ?? '', /^WORKER_CONCURRENCY /);
  });
  test('reads Redis Sentinels (IPv6 in brackets) and the master name; none by default', () => {
    const none = parseConfig({ ...base, REDIS_SENTINELS: '' });
    assert.ok(none.ok);
    assert.equal(none.config.redis.sentinels, undefined);
    assert.equal(none.config.redis.sentinelMaster, 'mymaster');
    const result = parseConfig({
      ...base,
      REDIS_SENTINELS: 's1.lan:26379, [fd00::1]:26380',
      REDIS_SENTINEL_MASTER: 'nutfleet-redis',
      REDIS_SENTINEL_PASSWORD: 'pw',
    });
    assert.ok(result.ok);
    assert.deepEqual(result.config.redis.sentinels, [
      { host: 's1.lan', port: 26379 },
      { host: 'fd00::1', port: 26380 },
    ]);
    assert.equal(result.config.redis.sentinelMaster, 'nutfleet-redis');
    assert.equal(result.config.redis.sentinelPassword, 'pw');
  });

  for (const bad of ['s1.lan', 's1.lan:0', 's1:26379,', 'fd00::1:26379', 's1:99999']) {
    test(`refuses REDIS_SENTINELS=${JSON.stringify(bad)}, naming the item`, () => {
      const [line] = problems({ ...base, REDIS_SENTINELS: bad });
      assert.match(line ?? '', /^REDIS_SENTINELS has ".*": give host:port pairs/);
    });
  }
});
