import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { maskSecrets, secretValues } from './channel-kinds';

describe('masking channel secrets', () => {
  test('the URL, its path, its token-like segments, its query and every other secret are masked', () => {
    const secrets = secretValues({
      webhookUrl: 'https://discord.example/api/webhooks/1234567890/AbCdEfGhIjKlMnOp?wait=true',
      webhookToken: 'tok_123456',
      smtpPassword: 'hunter2!',
    });
    const text =
      'POST https://discord.example/api/webhooks/1234567890/AbCdEfGhIjKlMnOp?wait=true failed; ' +
      'path /api/webhooks/1234567890/AbCdEfGhIjKlMnOp; token AbCdEfGhIjKlMnOp; id 1234567890; ' +
      'query wait=true; bearer tok_123456; pass hunter2!; host discord.example';
    const masked = maskSecrets(text, secrets);
    for (const secret of ['AbCdEfGhIjKlMnOp', '1234567890', 'tok_123456', 'hunter2!', 'wait=true'])
      assert.ok(!masked.includes(secret), `${secret} in ${masked}`);
    assert.match(masked, /host discord\.example$/, 'the host is not a secret');
  });

  test('short path segments (an ntfy topic) are masked as the whole path, not everywhere', () => {
    const secrets = secretValues({ webhookUrl: 'https://ntfy.example/alerts' });
    assert.equal(maskSecrets('topic /alerts refused; alerts are off', secrets), 'topic *** refused; alerts are off');
  });

  test('no secrets, nothing masked', () => {
    assert.equal(maskSecrets('HTTP 500', secretValues({})), 'HTTP 500');
  });
});
