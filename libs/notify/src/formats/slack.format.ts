/** A Slack-compatible incoming-webhook body: a text fallback and Block Kit blocks. */
import { type NotificationMessage } from '../notification-message';
import { jsonRequest, type OutboundHttpRequest } from './http-request';
import { type Severity } from './message-text';

const EMOJI: Record<Severity, string> = {
  INFO: ':information_source:',
  WARNING: ':warning:',
  CRITICAL: ':rotating_light:',
};

/** Slack mrkdwn treats &, < and > as markup. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackBody {
  text: string;
  blocks: unknown[];
}

export function renderSlack(m: NotificationMessage): SlackBody {
  const headline = `${EMOJI[m.severity]} *${escapeSlack(m.title)}*`;
  return {
    // Shown in notifications and by clients without blocks.
    text: `${m.severity}: ${m.title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${headline}\n${escapeSlack(m.text)}` } },
      ...(m.fields.length === 0
        ? []
        : [
            {
              type: 'section',
              // Slack refuses a section with more than 10 fields.
              fields: m.fields
                .slice(0, 10)
                .map((f) => ({ type: 'mrkdwn', text: `*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}` })),
            },
          ]),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${m.eventType} · ${m.severity} · ${m.at}` }] },
    ],
  };
}

export function slackRequest(url: string, m: NotificationMessage): OutboundHttpRequest {
  return jsonRequest(url, renderSlack(m));
}
