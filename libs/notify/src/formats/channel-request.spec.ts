import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { sampleMessage } from '../../test/sample-message';
import { type HttpChannelKind } from '../channel-kinds';
import { ChannelConfigError, channelRequest } from './channel-request';

const delivery = { id: 'd1', test: false };

describe('channelRequest', () => {
  test('each HTTP kind posts to its URL in its own format', () => {
    const url = 'https://receiver.example/path/secret-token';
    const shapes: Record<HttpChannelKind, (body: Record<string, unknown>) => boolean> = {
      WEBHOOK: (b) => b.source === 'nutfleet',
      SLACK: (b) => Array.isArray(b.blocks),
      NTFY: () => true,
      GOTIFY: (b) => typeof b.priority === 'number',
      TEAMS: (b) => b.type === 'message',
      DISCORD: (b) => Array.isArray(b.embeds),
    };
    for (const [kind, shape] of Object.entries(shapes) as [
      HttpChannelKind,
      (b: Record<string, unknown>) => boolean,
    ][]) {
      const request = channelRequest(kind, { webhookUrl: url, webhookToken: 'tok' }, sampleMessage, delivery);
      assert.equal(request.url, kind === 'GOTIFY' ? `${url}/message` : url, kind);
      const body = kind === 'NTFY' ? {} : (JSON.parse(request.body) as Record<string, unknown>);
      assert.ok(shape(body), kind);
    }
  });

  test('a missing URL, or a Gotify channel without its token, is a configuration error', () => {
    assert.throws(() => channelRequest('SLACK', {}, sampleMessage, delivery), ChannelConfigError);
    assert.throws(
      () => channelRequest('GOTIFY', { webhookUrl: 'https://g.example' }, sampleMessage, delivery),
      /no Gotify app token/,
    );
    assert.doesNotThrow(() => channelRequest('NTFY', { webhookUrl: 'https://n.example/t' }, sampleMessage, delivery));
  });
});
