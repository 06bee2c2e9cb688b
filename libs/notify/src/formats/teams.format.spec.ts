import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { messageWith, sampleMessage } from '../../test/sample-message';
import { renderTeams, teamsRequest } from './teams.format';

interface Card {
  type: string;
  version: string;
  body: { type: string; text?: string; color?: string; facts?: { title: string; value: string }[] }[];
}

const cardOf = (body: ReturnType<typeof renderTeams>): Card => body.attachments[0]?.content as unknown as Card;

describe('Microsoft Teams', () => {
  test('a message envelope with one Adaptive Card', () => {
    const body = renderTeams(sampleMessage);
    assert.equal(body.type, 'message');
    assert.equal(body.attachments.length, 1);
    assert.equal(body.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    const card = cardOf(body);
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.version, '1.4');
  });

  test('headline coloured by severity, the text, the fields as facts, then the event line', () => {
    const card = cardOf(renderTeams(sampleMessage));
    const [headline, text, facts, footer] = card.body;
    assert.equal(headline?.text, `WARNING: ${sampleMessage.title}`);
    assert.equal(headline?.color, 'Warning');
    assert.equal(text?.text, 'Mains failed <now> & then');
    assert.deepEqual(facts?.facts, [
      { title: 'UPS', value: 'ups1@nut:3493' },
      { title: 'Battery charge', value: '80 %' },
    ]);
    assert.match(footer?.text ?? '', /^ups\.on-battery · WARNING · 2026-01-01/);
    assert.equal(cardOf(renderTeams(messageWith({ severity: 'CRITICAL' }))).body[0]?.color, 'Attention');
  });

  test('no fact set without fields', () => {
    const card = cardOf(renderTeams(messageWith({ fields: [] })));
    assert.ok(!card.body.some((b) => b.type === 'FactSet'));
  });

  test('POSTs JSON to the workflow URL', () => {
    const request = teamsRequest('https://prod.example/workflows/abc?sig=s', sampleMessage);
    assert.equal(request.url, 'https://prod.example/workflows/abc?sig=s');
    assert.equal(request.headers['content-type'], 'application/json');
  });
});
