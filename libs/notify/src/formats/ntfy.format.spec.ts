import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { messageWith, sampleMessage } from '../../test/sample-message';
import { headerText, ntfyRequest } from './ntfy.format';

describe('ntfy', () => {
  test('POST to the topic URL: title, priority and tags as headers, the text and fields as the body', () => {
    const request = ntfyRequest('https://ntfy.example/nutfleet-alerts', sampleMessage, undefined);
    assert.equal(request.url, 'https://ntfy.example/nutfleet-alerts');
    assert.equal(request.headers.title, 'UPS ups1@nut:3493 is on battery Bcc: evil@example.com');
    assert.equal(request.headers.priority, '4');
    assert.equal(request.headers.tags, 'warning,nutfleet,ups.on-battery');
    assert.equal(request.headers.authorization, undefined);
    assert.match(request.body, /^Mains failed <now> & then\n\nUPS:\s+ups1@nut:3493\nBattery charge: 80 %/);
  });

  test('severity sets the priority: 3 info, 4 warning, 5 critical (urgent)', () => {
    const priority = (severity: 'INFO' | 'WARNING' | 'CRITICAL'): string | undefined =>
      ntfyRequest('https://n/t', messageWith({ severity }), undefined).headers.priority;
    assert.deepEqual([priority('INFO'), priority('WARNING'), priority('CRITICAL')], ['3', '4', '5']);
    assert.match(
      ntfyRequest('https://n/t', messageWith({ severity: 'CRITICAL' }), undefined).headers.tags ?? '',
      /^rotating_light,/,
    );
  });

  test('an access token is sent as a bearer', () => {
    assert.equal(ntfyRequest('https://n/t', sampleMessage, 'tk_abc').headers.authorization, 'Bearer tk_abc');
  });

  test('a non-ASCII title becomes an RFC 2047 encoded word; ASCII stays as is', () => {
    assert.equal(headerText('plain'), 'plain');
    const encoded = headerText('Charge → 20 %');
    assert.match(encoded, /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    assert.equal(Buffer.from(encoded.slice(10, -2), 'base64').toString('utf8'), 'Charge → 20 %');
  });

  test("a long message stays under ntfy's 4 KB message limit", () => {
    const request = ntfyRequest('https://n/t', messageWith({ text: 'x'.repeat(10_000) }), undefined);
    assert.ok(Buffer.byteLength(request.body) <= 4096);
    assert.match(request.body, /…$/);
  });
});
