/** What the channel form asks for each kind, and how it explains it. */
import { type NotificationChannelDto } from '../api-types.generated.js';

export type ChannelKind = NotificationChannelDto['kind'];

export interface KindForm {
  label: string;
  /** Placeholder and hint of the URL field; none for EMAIL. */
  url?: { label: string; placeholder: string; hint: string };
  /** The token field (ntfy: optional bearer; Gotify: required app token). */
  token?: { label: string; required: boolean };
  /** The HMAC signing key of the generic webhook. */
  signing?: boolean;
}

export const KIND_FORMS: Record<ChannelKind, KindForm> = {
  EMAIL: { label: 'E-mail (SMTP)' },
  SLACK: {
    label: 'Slack',
    url: {
      label: 'Incoming-webhook URL',
      placeholder: 'https://hooks.slack.com/services/T…/B…/…',
      hint: 'Slack app → Incoming Webhooks (Mattermost and Rocket.Chat accept the same).',
    },
  },
  TEAMS: {
    label: 'Microsoft Teams',
    url: {
      label: 'Workflow URL',
      placeholder: 'https://…logic.azure.com/workflows/…',
      hint: 'Teams → Workflows → "Post to a channel when a webhook request is received" (an older incoming-webhook URL works too). Sent as an Adaptive Card.',
    },
  },
  DISCORD: {
    label: 'Discord',
    url: {
      label: 'Webhook URL',
      placeholder: 'https://discord.com/api/webhooks/…/…',
      hint: 'Channel settings → Integrations → Webhooks → Copy Webhook URL.',
    },
  },
  NTFY: {
    label: 'ntfy',
    url: {
      label: 'Topic URL',
      placeholder: 'https://ntfy.sh/your-unguessable-topic',
      hint: 'Server and topic. On a public server the topic is the password: pick one nobody can guess.',
    },
    token: { label: 'Access token (optional)', required: false },
  },
  GOTIFY: {
    label: 'Gotify',
    url: {
      label: 'Server URL',
      placeholder: 'https://gotify.example.com',
      hint: 'Messages are posted to <server>/message.',
    },
    token: { label: 'Application token', required: true },
  },
  WEBHOOK: {
    label: 'JSON webhook',
    url: {
      label: 'URL',
      placeholder: 'https://receiver.example.com/nutfleet',
      hint: 'Receives a JSON body with the event type, severity, text, fields and ids.',
    },
    signing: true,
  },
};

/** Where a channel sends, as the table shows it (secrets are never shown: only the URL's host). */
export function channelTarget(c: NotificationChannelDto): string {
  if (c.email !== null) return `${c.email.host}:${c.email.port} (${c.email.security}) → ${c.email.to.join(', ')}`;
  return c.webhook?.urlHost ?? '';
}
