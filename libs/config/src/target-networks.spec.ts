import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseConfig } from './app-config';
import { parseTargetNetworks, TargetNetworks, TargetNotAllowedError } from './target-networks';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/nutfleet', NUTFLEET_SECRET_KEY: 'a'.repeat(64) };

describe('ALLOWED_TARGET_NETWORKS', () => {
  test('parses CIDRs and bare addresses, IPv4 and IPv6; empty means unrestricted', () => {
    assert.deepEqual(parseTargetNetworks(' 10.0.0.0/8, 192.168.1.7 ,FD00::/8,'), {
      ok: true,
      cidrs: ['10.0.0.0/8', '192.168.1.7/32', 'fd00::/8'],
    });
    assert.deepEqual(parseTargetNetworks(''), { ok: true, cidrs: [] });
    const config = parseConfig(base);
    assert.ok(config.ok);
    assert.deepEqual(config.config.allowedTargetNetworks, []);
  });

  for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '::/129', '10.0.0/8', '10.0.0.0/-1'])
    test(`refuses "${bad}" at start, naming the variable`, () => {
      const result = parseConfig({ ...base, ALLOWED_TARGET_NETWORKS: bad });
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : (result.problems[0] ?? ''), /^ALLOWED_TARGET_NETWORKS .*"/);
    });

  test('checks IP literals, IPv4-mapped IPv6 included', () => {
    const nets = new TargetNetworks(['10.1.0.0/16', 'fd00::/8']);
    assert.equal(nets.allowsIp('10.1.200.3'), true);
    assert.equal(nets.allowsIp('10.2.0.1'), false);
    assert.equal(nets.allowsIp('::ffff:10.1.0.9'), true);
    assert.equal(nets.allowsIp('::ffff:127.0.0.1'), false);
    assert.equal(nets.allowsIp('fd12::1'), true);
    assert.equal(nets.allowsIp('::1'), false);
    assert.equal(nets.allowsIp('not-an-ip'), false);
    assert.equal(new TargetNetworks([]).allowsIp('127.0.0.1'), true);
  });

  test('a name is allowed only when every address it resolves to is; unrestricted means no lookup', async () => {
    const answers: Record<string, string[]> = { good: ['10.1.0.5'], mixed: ['10.1.0.5', '127.0.0.1'], none: [] };
    const lookups: string[] = [];
    const resolver = async (name: string): Promise<string[]> => {
      lookups.push(name);
      const found = answers[name];
      if (found === undefined) throw new Error('ENOTFOUND');
      return found;
    };
    const nets = new TargetNetworks(['10.1.0.0/16'], resolver);
    assert.equal(await nets.resolveAllowed('good'), '10.1.0.5');
    assert.equal(await nets.resolveAllowed('10.1.9.9'), '10.1.9.9');
    for (const name of ['mixed', 'none', 'missing', '127.0.0.1'])
      await assert.rejects(nets.resolveAllowed(name), TargetNotAllowedError, name);
    await assert.rejects(
      nets.resolveAllowed('mixed'),
      /127\.0\.0\.1, outside ALLOWED_TARGET_NETWORKS \(10\.1\.0\.0\/16\)/,
    );
    const open = new TargetNetworks([], resolver);
    lookups.length = 0;
    assert.equal(await open.resolveAllowed('anything.example'), 'anything.example');
    assert.deepEqual(lookups, []);
  });
});

describe('TRUST_PROXY', () => {
  test('false by default; true, hop counts and address lists accepted', () => {
    const cases: [string | undefined, unknown][] = [
      [undefined, false],
      ['false', false],
      ['true', true],
      ['1', 1],
      ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ];
    for (const [value, expected] of cases) {
      const result = parseConfig({ ...base, ...(value === undefined ? {} : { TRUST_PROXY: value }) });
      assert.ok(result.ok, String(value));
      assert.deepEqual(result.config.http.trustProxy, expected);
    }
    const bad = parseConfig({ ...base, TRUST_PROXY: 'loopback,proxy.example' });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : (bad.problems[0] ?? ''), /^TRUST_PROXY "proxy\.example" is not/);
  });
});
