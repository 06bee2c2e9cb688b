import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';

import { sealSecret } from '@nutfleet/db';

import { HostCredentialsError } from './host-connector.errors';
import { openHostAuth } from './host-credentials';

const key = randomBytes(32);
const oldKey = randomBytes(32);
const host = (over: { passwordEnc?: string | null; privateKeyEnc?: string | null }) => ({
  id: 'h1',
  name: 'esx-01',
  passwordEnc: null,
  privateKeyEnc: null,
  ...over,
});

describe('openHostAuth', () => {
  test('opens a password sealed for this host, with the current or the old key', () => {
    assert.deepEqual(openHostAuth(host({ passwordEnc: sealSecret('pw', key, 'host:h1:password') }), [key]), {
      kind: 'password',
      password: 'pw',
    });
    assert.deepEqual(openHostAuth(host({ passwordEnc: sealSecret('pw', oldKey, 'host:h1:password') }), [key, oldKey]), {
      kind: 'password',
      password: 'pw',
    });
  });

  test('prefers the private key when both are stored', () => {
    const auth = openHostAuth(
      host({
        passwordEnc: sealSecret('pw', key, 'host:h1:password'),
        privateKeyEnc: sealSecret('KEY', key, 'host:h1:privateKey'),
      }),
      [key],
    );
    assert.deepEqual(auth, { kind: 'privateKey', privateKey: 'KEY' });
  });

  test('a value sealed for another host, an unknown key, or nothing stored: typed error naming the host', () => {
    for (const bad of [
      host({ passwordEnc: sealSecret('pw', key, 'host:h2:password') }),
      host({ passwordEnc: sealSecret('pw', randomBytes(32), 'host:h1:password') }),
      host({}),
    ]) {
      assert.throws(
        () => openHostAuth(bad, [key]),
        (e: Error) => e instanceof HostCredentialsError && /esx-01/.test(e.message) && !/pw/.test(e.message),
      );
    }
  });
});
