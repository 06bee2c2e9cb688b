import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { scrubOpenedSecrets } from './opened-secrets';
import { openSecret, sealSecret } from './secret-box';

test('a secret this process opened is scrubbed from any text; others are left alone', () => {
  const key = randomBytes(32);
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const text = `esxcli ... '-s' '${password}' failed; again: ${password}`;
  assert.equal(scrubOpenedSecrets(text), text, 'not opened yet: nothing known');
  assert.equal(openSecret(sealSecret(password, key, 'ctx'), [key], 'ctx'), password);
  assert.equal(scrubOpenedSecrets(text), "esxcli ... '-s' '***' failed; again: ***");
  assert.equal(scrubOpenedSecrets('nothing secret here'), 'nothing secret here');
});

test('each long line of a multi-line secret (a private key) is scrubbed on its own', () => {
  const key = randomBytes(32);
  const body = randomBytes(48).toString('base64');
  const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
  openSecret(sealSecret(pem, key, 'k'), [key], 'k');
  assert.equal(scrubOpenedSecrets(`parse error near ${body}`), 'parse error near ***');
});

test('very short secrets are not searched for (they would mask ordinary words)', () => {
  const key = randomBytes(32);
  openSecret(sealSecret('abc', key, 's'), [key], 's');
  assert.equal(scrubOpenedSecrets('abc def'), 'abc def');
});
