import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';

import { sampleMessage } from '../../test/sample-message';
import { renderWebhookJson, webhookRequest } from './webhook-json.format';

describe('generic JSON webhook', () => {
  test('flat JSON with ids to look up', () => {
    const body = renderWebhookJson(sampleMessage, 'd1', false);
    assert.equal(body.source, 'nutfleet');
    assert.equal(body.deliveryId, 'd1');
    assert.equal(body.refs.upsId, 'u1');
    assert.equal(body.severity, 'WARNING');
    assert.equal(body.test, false);
  });

  test('signed with HMAC-SHA256 of the exact body when a key is set, unsigned otherwise', () => {
    const signed = webhookRequest('http://127.0.0.1/hook', sampleMessage, { id: 'd2', test: true }, 'k'.repeat(16));
    const expected = createHmac('sha256', 'k'.repeat(16)).update(signed.body).digest('hex');
    assert.equal(signed.headers['x-nutfleet-signature'], `sha256=${expected}`);
    assert.equal((JSON.parse(signed.body) as { test: boolean }).test, true);
    const unsigned = webhookRequest('http://127.0.0.1/hook', sampleMessage, { id: 'd2', test: false }, undefined);
    assert.equal(unsigned.headers['x-nutfleet-signature'], undefined);
  });
});
