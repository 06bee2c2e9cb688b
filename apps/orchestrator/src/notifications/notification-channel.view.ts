import {
  type ChannelKind,
  type EmailChannelSettings,
  type NotificationChannelSecrets,
  type WebhookChannelSettings,
} from '@nutfleet/notify';

import { type NotificationChannelDto } from './notification.dto';

export interface ChannelRow {
  id: string;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  settings: unknown;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  routes: { eventTypes: string[]; minSeverity: string }[];
}

/** The API view: settings without secrets, and only whether each secret is set. */
export function channelView(row: ChannelRow, secrets: NotificationChannelSecrets): NotificationChannelDto {
  const email = row.kind === 'EMAIL' ? (row.settings as EmailChannelSettings) : null;
  const webhook = row.kind === 'EMAIL' ? null : (row.settings as WebhookChannelSettings);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    email:
      email === null
        ? null
        : {
            host: email.host,
            port: email.port,
            security: email.security,
            username: email.username,
            hasPassword: secrets.smtpPassword !== undefined,
            from: email.from,
            to: email.to,
            hasCaPem: email.caPem !== null,
          },
    webhook:
      webhook === null
        ? null
        : {
            urlHost: webhook.urlHost,
            hasSigningSecret: secrets.webhookSigningSecret !== undefined,
            hasToken: secrets.webhookToken !== undefined,
          },
    routes: row.routes.map((r) => ({ eventTypes: r.eventTypes, minSeverity: r.minSeverity })),
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: row.lastFailureAt?.toISOString() ?? null,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const DEFAULT_PORT: Record<EmailChannelSettings['security'], number> = { starttls: 587, tls: 465, none: 25 };

export function defaultSmtpPort(security: EmailChannelSettings['security']): number {
  return DEFAULT_PORT[security];
}
