import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { messageWith, sampleMessage } from '../../test/sample-message';
import { renderSlack, slackRequest } from './slack.format';

describe('renderSlack', () => {
  test('text fallback, escaped mrkdwn section, fields and context', () => {
    const body = renderSlack(sampleMessage);
    assert.match(body.text, /^WARNING: /);
    const [section, fields, context] = body.blocks as {
      type: string;
      text?: { text: string };
      fields?: { text: string }[];
    }[];
    assert.equal(section?.type, 'section');
    assert.match(section?.text?.text ?? '', /:warning: \*UPS/);
    assert.match(section?.text?.text ?? '', /&lt;now&gt; &amp; then/);
    assert.equal(fields?.fields?.length, 2);
    assert.equal(context?.type, 'context');
  });

  test('no fields section without fields; at most 10 fields (Slack refuses more)', () => {
    assert.equal(renderSlack(messageWith({ fields: [] })).blocks.length, 2);
    const many = Array.from({ length: 14 }, (_, i) => ({ label: `f${i}`, value: String(i) }));
    const [, fields] = renderSlack(messageWith({ fields: many })).blocks as { fields?: unknown[] }[];
    assert.equal(fields?.fields?.length, 10);
  });

  test('POSTs JSON to the webhook URL', () => {
    const request = slackRequest('https://hooks.slack.com/services/T/B/x', sampleMessage);
    assert.equal(request.url, 'https://hooks.slack.com/services/T/B/x');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), renderSlack(sampleMessage));
  });
});
