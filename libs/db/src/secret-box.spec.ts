import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { keyId, openSecret, SecretDecryptionError, sealSecret } from './secret-box';

const key = randomBytes(32);

describe('secret box', () => {
  test('round-trips, including non-ASCII, without the plaintext in the sealed value', () => {
    const secret = 'pä$$w0rd "quoted" ; $(rm -rf /)';
    const sealed = sealSecret(secret, key, 'host:1:password');
    assert.ok(!sealed.includes('w0rd'));
    assert.equal(openSecret(sealed, [key], 'host:1:password'), secret);
  });

  test('two seals of the same secret differ (fresh IV)', () => {
    assert.notEqual(sealSecret('x', key, 'c'), sealSecret('x', key, 'c'));
  });

  test('a value moved to another record does not open', () => {
    const sealed = sealSecret('secret', key, 'host:1:password');
    assert.throws(() => openSecret(sealed, [key], 'host:2:password'), SecretDecryptionError);
  });

  test('a tampered ciphertext does not open', () => {
    const sealed = sealSecret('secret', key, 'c').split(':');
    const ct = Buffer.from(sealed[4] ?? '', 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    sealed[4] = ct.toString('base64url');
    assert.throws(() => openSecret(sealed.join(':'), [key], 'c'), SecretDecryptionError);
  });

  test('an old key still opens values during rotation; an unknown key is named', () => {
    const oldKey = randomBytes(32);
    const sealed = sealSecret('secret', oldKey, 'c');
    assert.equal(openSecret(sealed, [key, oldKey], 'c'), 'secret');
    assert.throws(
      () => openSecret(sealed, [key], 'c'),
      (e: Error) => e.message.includes(keyId(oldKey)),
    );
  });
});
