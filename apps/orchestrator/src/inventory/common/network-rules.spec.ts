import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  isCertificateFingerprint,
  isHostAddress,
  isMacAddress,
  isPrivateKeyText,
  isSshFingerprint,
  normalizeCertificateFingerprint,
  normalizeMac,
} from './network-rules';

test('host addresses: IPv4, IPv6 and RFC 1123 names', () => {
  for (const ok of ['10.0.0.1', '::1', 'fe80::1', 'esx01', 'esx-01.lab.example.com', 'a.b.'])
    assert.ok(isHostAddress(ok), ok);
  for (const bad of ['', '300.1.1.1', '1.2.3', '-esx', 'esx_01', 'a b', 'x'.repeat(254), 'esx;rm -rf /'])
    assert.ok(!isHostAddress(bad), bad);
});

test('MAC addresses are accepted with colons, dashes or bare, and stored lower-case with colons', () => {
  for (const ok of ['00:50:56:AA:bb:01', '00-50-56-aa-bb-01', '005056aabb01']) {
    assert.ok(isMacAddress(ok), ok);
    assert.equal(normalizeMac(ok), '00:50:56:aa:bb:01');
  }
  for (const bad of ['00:50:56:aa:bb', '00:50-56:aa:bb:01', 'zz:50:56:aa:bb:01']) assert.ok(!isMacAddress(bad), bad);
});

test('fingerprints and key text', () => {
  assert.ok(isSshFingerprint('SHA256:' + 'A'.repeat(43)));
  assert.ok(!isSshFingerprint('MD5:aa'));
  assert.ok(isCertificateFingerprint('ab'.repeat(32)));
  assert.equal(normalizeCertificateFingerprint('ab'.repeat(32)), Array(32).fill('AB').join(':'));
  assert.ok(isPrivateKeyText('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n'));
  assert.ok(!isPrivateKeyText('ssh-ed25519 AAAA'));
});
