/**
 * The typed shape of NotificationDelivery.message and the event catalogue, shared by the API
 * (which routes events and stores messages) and the worker (which renders and sends them).
 * A message carries no secret: it is what the recipient reads.
 */

/** Every event a route can select. */
export const NOTIFICATION_EVENT_TYPES = [
  'ups.on-battery',
  'ups.low-battery',
  'ups.on-line',
  'ups.comm-lost',
  'ups.comm-restored',
  'plan.created',
  'plan.succeeded',
  'plan.failed',
  'plan.cancelled',
  'host.key-mismatch',
  'rollout.succeeded',
  'rollout.failed',
  'test',
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

export const NOTIFICATION_SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type NotificationSeverityName = (typeof NOTIFICATION_SEVERITIES)[number];

export function severityRank(severity: NotificationSeverityName): number {
  return NOTIFICATION_SEVERITIES.indexOf(severity);
}

export interface NotificationField {
  label: string;
  value: string;
}

export interface NotificationMessage {
  eventType: NotificationEventType;
  severity: NotificationSeverityName;
  /** One line: mail subject, chat headline. */
  title: string;
  /** A few sentences saying what happened and what nutfleet does about it. */
  text: string;
  fields: NotificationField[];
  /** When the event happened (ISO-8601). */
  at: string;
  /** Ids the recipient can look up in the API or the dashboard. */
  refs: { upsId?: string; planId?: string; hostId?: string };
}

/** NotificationChannel.settings of an EMAIL channel (nothing secret). */
export interface EmailChannelSettings {
  host: string;
  port: number;
  /** starttls: STARTTLS required; tls: implicit TLS; none: plain text (loopback relays). */
  security: 'starttls' | 'tls' | 'none';
  username: string | null;
  from: string;
  to: string[];
  /** Trust this CA for the SMTP server certificate instead of the system store. */
  caPem: string | null;
}

/** NotificationChannel.settings of a WEBHOOK or SLACK channel: only the host, for display. */
export interface WebhookChannelSettings {
  urlHost: string;
}

/** What NotificationChannel.secretEnc seals (as JSON). */
export interface NotificationChannelSecrets {
  smtpPassword?: string;
  webhookUrl?: string;
  webhookSigningSecret?: string;
}

/** The sealSecret context of a channel's secrets: a sealed blob cannot be moved to another channel. */
export function notificationSecretContext(channelId: string): string {
  return `notificationChannel:${channelId}:secrets`;
}
