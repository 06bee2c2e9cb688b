import assert from 'node:assert/strict';
import { test } from 'node:test';

import { auditSafe } from './audit-redaction';

test('secret-named keys are dropped at any depth; has* flags, dates and bigints stay readable', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  assert.deepEqual(
    auditSafe({
      name: 'h',
      password: 'p',
      hasPassword: true,
      at,
      n: 5n,
      nested: [{ privateKey: 'k', passwordEnc: 'v1:x', tokenHash: 'h', ok: 1 }],
    }),
    { name: 'h', hasPassword: true, at: '2026-01-01T00:00:00.000Z', n: '5', nested: [{ ok: 1 }] },
  );
});
