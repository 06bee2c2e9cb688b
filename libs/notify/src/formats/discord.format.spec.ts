import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { messageWith, sampleMessage } from '../../test/sample-message';
import { renderDiscord } from './discord.format';

describe('Discord', () => {
  test('one embed with title, description, severity colour, fields and timestamp', () => {
    const body = renderDiscord(sampleMessage);
    assert.equal(body.username, 'nutfleet');
    assert.equal(body.content, `WARNING: ${sampleMessage.title}`);
    const [embed] = body.embeds;
    assert.equal(embed?.title, sampleMessage.title);
    assert.equal(embed?.description, 'Mains failed <now> & then');
    assert.equal(embed?.color, 0xf1c40f);
    assert.deepEqual(embed?.fields[0], { name: 'UPS', value: 'ups1@nut:3493', inline: true });
    assert.equal(embed?.timestamp, sampleMessage.at);
    assert.equal(embed?.footer.text, 'ups.on-battery · WARNING');
  });

  test('mentions are disabled: a name like @everyone pings nobody', () => {
    assert.deepEqual(renderDiscord(messageWith({ title: '@everyone' })).allowed_mentions, { parse: [] });
  });

  test('stays within Discord limits: 6000 characters per embed, no empty field value', () => {
    const long = 'y'.repeat(5000);
    const fields = Array.from({ length: 30 }, (_, i) => ({ label: `${'l'.repeat(300)}${i}`, value: long }));
    const body = renderDiscord(
      messageWith({ title: long, text: long, fields: [...fields, { label: 'e', value: '' }] }),
    );
    const [embed] = body.embeds;
    assert.ok(embed);
    const total =
      embed.title.length +
      embed.description.length +
      embed.footer.text.length +
      embed.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
    assert.ok(total <= 6000, `embed has ${total} characters`);
    assert.ok(embed.fields.length <= 25);
    assert.ok(embed.title.length <= 256);
    const withEmpty = renderDiscord(messageWith({ fields: [{ label: 'e', value: '' }] })).embeds[0];
    assert.equal(withEmpty?.fields[0]?.value, '–');
  });
});
