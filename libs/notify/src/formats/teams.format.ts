/**
 * Microsoft Teams: an Adaptive Card in a `message` envelope, the body both the Workflows
 * ("When a Teams webhook request is received") and the older incoming-webhook connectors accept.
 */
import { type NotificationMessage } from '../notification-message';
import { jsonRequest, type OutboundHttpRequest } from './http-request';
import { type Severity, truncate } from './message-text';

const COLOR: Record<Severity, string> = { INFO: 'Accent', WARNING: 'Warning', CRITICAL: 'Attention' };

export interface TeamsBody {
  type: 'message';
  attachments: { contentType: string; contentUrl: null; content: Record<string, unknown> }[];
}

export function renderTeams(m: NotificationMessage): TeamsBody {
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: truncate(`${m.severity}: ${m.title}`, 300),
      weight: 'Bolder',
      size: 'Medium',
      color: COLOR[m.severity],
      wrap: true,
      style: 'heading',
    },
    { type: 'TextBlock', text: truncate(m.text, 2000), wrap: true },
  ];
  if (m.fields.length > 0)
    body.push({
      type: 'FactSet',
      facts: m.fields.slice(0, 20).map((f) => ({ title: truncate(f.label, 100), value: truncate(f.value, 500) })),
    });
  body.push({
    type: 'TextBlock',
    text: `${m.eventType} · ${m.severity} · ${m.at}`,
    isSubtle: true,
    size: 'Small',
    wrap: true,
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
        },
      },
    ],
  };
}

export function teamsRequest(url: string, m: NotificationMessage): OutboundHttpRequest {
  return jsonRequest(url, renderTeams(m));
}
