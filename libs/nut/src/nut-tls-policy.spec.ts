import assert from 'node:assert/strict';
import { test } from 'node:test';

import { nutTlsOptionsOf } from './nut-tls-policy';

test('a stored TLS policy maps to the client options, pins and CA only when set', () => {
  assert.deepEqual(nutTlsOptionsOf({ tlsMode: 'OFF', tlsCaPem: 'ca', tlsFingerprint: 'fp' }), { mode: 'off' });
  assert.deepEqual(nutTlsOptionsOf({ tlsMode: 'OPPORTUNISTIC', tlsCaPem: null, tlsFingerprint: null }), {
    mode: 'opportunistic',
  });
  assert.deepEqual(nutTlsOptionsOf({ tlsMode: 'REQUIRED', tlsCaPem: 'ca', tlsFingerprint: 'fp' }), {
    mode: 'required',
    ca: 'ca',
    fingerprint256: 'fp',
  });
});
