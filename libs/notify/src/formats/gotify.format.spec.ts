import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { messageWith, sampleMessage } from '../../test/sample-message';
import { gotifyMessageUrl, gotifyRequest, renderGotify } from './gotify.format';

describe('Gotify', () => {
  test('POST <server>/message, keeping a sub-path and dropping a query', () => {
    assert.equal(gotifyMessageUrl('https://push.example'), 'https://push.example/message');
    assert.equal(gotifyMessageUrl('https://example.com/gotify/'), 'https://example.com/gotify/message');
    assert.equal(gotifyMessageUrl('http://127.0.0.1:8080/g?token=x'), 'http://127.0.0.1:8080/g/message');
  });

  test('the app token goes in X-Gotify-Key, never in the URL', () => {
    const request = gotifyRequest('https://push.example', sampleMessage, 'AppTok3n');
    assert.equal(request.headers['x-gotify-key'], 'AppTok3n');
    assert.ok(!request.url.includes('AppTok3n'));
  });

  test('JSON title, message, priority by severity, plain-text display', () => {
    const body = renderGotify(sampleMessage);
    assert.equal(body.title, sampleMessage.title);
    assert.match(body.message, /^Mains failed <now> & then/);
    assert.match(body.message, /Battery charge: 80 %/);
    assert.equal(body.priority, 6);
    assert.equal(renderGotify(messageWith({ severity: 'CRITICAL' })).priority, 9);
    assert.equal(renderGotify(messageWith({ severity: 'INFO' })).priority, 3);
    assert.deepEqual(body.extras, { 'client::display': { contentType: 'text/plain' } });
  });
});
