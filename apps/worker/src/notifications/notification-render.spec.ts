import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { type NotificationMessage } from '@nutfleet/db';

import { renderEmail, renderSlack, renderWebhookJson } from './notification-render';

const message: NotificationMessage = {
  eventType: 'ups.on-battery',
  severity: 'WARNING',
  title: 'UPS ups1@nut:3493 is on battery\r\nBcc: evil@example.com',
  text: 'Mains failed <now> & then',
  fields: [
    { label: 'UPS', value: 'ups1@nut:3493' },
    { label: 'Battery charge', value: '80 %' },
  ],
  at: '2026-01-01T00:00:00.000Z',
  refs: { upsId: 'u1' },
};

describe('renderEmail', () => {
  test('severity-tagged one-line subject (no header injection), aligned fields in the body', () => {
    const mail = renderEmail(message);
    assert.equal(mail.subject, '[nutfleet WARNING] UPS ups1@nut:3493 is on battery Bcc: evil@example.com');
    assert.match(mail.text, /^Mains failed/);
    assert.match(mail.text, /Battery charge: 80 %/);
    assert.match(mail.text, /UPS:\s+ups1@nut:3493/);
    assert.match(mail.text, /Event:\s+ups\.on-battery \(WARNING\)/);
  });
});

describe('renderSlack', () => {
  test('text fallback, escaped mrkdwn section, fields and context', () => {
    const body = renderSlack(message);
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
});

describe('renderWebhookJson', () => {
  test('flat JSON with ids to look up', () => {
    const body = renderWebhookJson(message, 'd1', false);
    assert.equal(body.source, 'nutfleet');
    assert.equal(body.deliveryId, 'd1');
    assert.equal(body.refs.upsId, 'u1');
    assert.equal(body.severity, 'WARNING');
  });
});
