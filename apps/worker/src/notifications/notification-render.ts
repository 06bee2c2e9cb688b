/**
 * Pure: a NotificationMessage as a mail, a generic JSON webhook body, and a Slack-compatible
 * incoming-webhook body (text fallback + Block Kit blocks).
 */
import { type NotificationMessage } from '@nutfleet/db';

const SEVERITY_MARK: Record<NotificationMessage['severity'], string> = {
  INFO: 'INFO',
  WARNING: 'WARNING',
  CRITICAL: 'CRITICAL',
};
const SLACK_EMOJI: Record<NotificationMessage['severity'], string> = {
  INFO: ':information_source:',
  WARNING: ':warning:',
  CRITICAL: ':rotating_light:',
};

export interface RenderedEmail {
  subject: string;
  text: string;
}

/** Subject starts with the severity so mail filters and SMS gateways can act on it. */
export function renderEmail(m: NotificationMessage): RenderedEmail {
  const subject = `[nutfleet ${SEVERITY_MARK[m.severity]}] ${m.title}`.replace(/[\r\n]+/g, ' ');
  const width = Math.max(0, ...m.fields.map((f) => f.label.length));
  const lines = [
    m.text,
    '',
    ...m.fields.map((f) => `${`${f.label}:`.padEnd(width + 2)}${f.value}`),
    `${'Time:'.padEnd(width + 2)}${m.at}`,
    `${'Event:'.padEnd(width + 2)}${m.eventType} (${m.severity})`,
    '',
    '-- nutfleet',
  ];
  return { subject, text: `${lines.join('\n')}\n` };
}

export interface WebhookBody {
  source: 'nutfleet';
  deliveryId: string;
  test: boolean;
  eventType: string;
  severity: string;
  title: string;
  text: string;
  at: string;
  fields: NotificationMessage['fields'];
  refs: NotificationMessage['refs'];
}

export function renderWebhookJson(m: NotificationMessage, deliveryId: string, test: boolean): WebhookBody {
  return {
    source: 'nutfleet',
    deliveryId,
    test,
    eventType: m.eventType,
    severity: m.severity,
    title: m.title,
    text: m.text,
    at: m.at,
    fields: m.fields,
    refs: m.refs,
  };
}

/** Slack mrkdwn treats &, < and > as markup. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackBody {
  text: string;
  blocks: unknown[];
}

export function renderSlack(m: NotificationMessage): SlackBody {
  const headline = `${SLACK_EMOJI[m.severity]} *${escapeSlack(m.title)}*`;
  return {
    // Shown in notifications and by clients without blocks.
    text: `${SEVERITY_MARK[m.severity]}: ${m.title}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${headline}\n${escapeSlack(m.text)}` } },
      ...(m.fields.length === 0
        ? []
        : [
            {
              type: 'section',
              fields: m.fields
                .slice(0, 10)
                .map((f) => ({ type: 'mrkdwn', text: `*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}` })),
            },
          ]),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${m.eventType} · ${m.severity} · ${m.at}` }] },
    ],
  };
}
