/**
 * Discord: a webhook body with one embed (title, description, colour, fields), within Discord's
 * limits, and mentions disabled so no text in a message can ping @everyone.
 */
import { type NotificationMessage } from '../notification-message';
import { jsonRequest, type OutboundHttpRequest } from './http-request';
import { type Severity, truncate } from './message-text';

/** Embed side colours: blue, amber, red. */
const COLOR: Record<Severity, number> = { INFO: 0x3498db, WARNING: 0xf1c40f, CRITICAL: 0xe74c3c };

export interface DiscordBody {
  username: string;
  content: string;
  allowed_mentions: { parse: string[] };
  embeds: {
    title: string;
    description: string;
    color: number;
    fields: { name: string; value: string; inline: boolean }[];
    timestamp: string;
    footer: { text: string };
  }[];
}

export function renderDiscord(m: NotificationMessage): DiscordBody {
  return {
    username: 'nutfleet',
    // The push notification shows this line; the embed carries the rest.
    content: truncate(`${m.severity}: ${m.title}`, 2000),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: truncate(m.title, 256),
        // Discord refuses embeds above 6000 characters in all: 256 + 1500 + 12 × (100 + 240) + footer.
        description: truncate(m.text, 1500),
        color: COLOR[m.severity],
        fields: m.fields.slice(0, 12).map((f) => ({
          name: truncate(f.label, 100),
          // Discord rejects an empty field value.
          value: truncate(f.value === '' ? '–' : f.value, 240),
          inline: f.value.length <= 40,
        })),
        timestamp: m.at,
        footer: { text: `${m.eventType} · ${m.severity}` },
      },
    ],
  };
}

export function discordRequest(url: string, m: NotificationMessage): OutboundHttpRequest {
  return jsonRequest(url, renderDiscord(m));
}
