/**
 * Channel kinds and what a channel stores: settings (shown by the API) and secrets (sealed at rest,
 * never returned). Every kind but EMAIL posts to one URL, which is secret: Slack, Discord and Teams
 * URLs embed their token, an ntfy topic is readable by whoever knows it.
 */

export const CHANNEL_KINDS = ['EMAIL', 'WEBHOOK', 'SLACK', 'NTFY', 'GOTIFY', 'TEAMS', 'DISCORD'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type HttpChannelKind = Exclude<ChannelKind, 'EMAIL'>;

export const SMTP_SECURITY = ['starttls', 'tls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/** NotificationChannel.settings of an EMAIL channel (nothing secret). */
export interface EmailChannelSettings {
  host: string;
  port: number;
  /** starttls: STARTTLS required; tls: implicit TLS; none: plain text (loopback relays). */
  security: SmtpSecurity;
  username: string | null;
  from: string;
  to: string[];
  /** Trust this CA for the SMTP server certificate instead of the system store. */
  caPem: string | null;
}

/** NotificationChannel.settings of every other kind: only the URL's host, for display. */
export interface WebhookChannelSettings {
  urlHost: string;
}

/** What NotificationChannel.secretEnc seals (as JSON). */
export interface NotificationChannelSecrets {
  smtpPassword?: string;
  /** WEBHOOK, SLACK, TEAMS, DISCORD: the webhook; NTFY: the topic URL; GOTIFY: the server URL. */
  webhookUrl?: string;
  /** WEBHOOK: key of the body's HMAC signature. */
  webhookSigningSecret?: string;
  /** NTFY: access token (optional); GOTIFY: application token (required). */
  webhookToken?: string;
}

/** The sealSecret context of a channel's secrets: a sealed blob cannot be moved to another channel. */
export function notificationSecretContext(channelId: string): string {
  return `notificationChannel:${channelId}:secrets`;
}

/** Every secret value of a channel, for masking them out of errors and logs. */
export function secretValues(secrets: NotificationChannelSecrets): string[] {
  const values: string[] = [];
  for (const value of [secrets.smtpPassword, secrets.webhookSigningSecret, secrets.webhookToken]) {
    if (value !== undefined && value !== '') values.push(value);
  }
  if (secrets.webhookUrl !== undefined) {
    values.push(secrets.webhookUrl);
    try {
      const url = new URL(secrets.webhookUrl);
      // A receiver may echo only the path, one token-like segment of it, or the query.
      if (url.pathname.length > 1) values.push(url.pathname, ...url.pathname.split('/').filter((p) => p.length >= 8));
      if (url.search.length > 1) values.push(url.search.slice(1));
      if (url.password !== '') values.push(url.password);
    } catch {
      // Not a URL: masked whole above.
    }
  }
  return values;
}

/** Replaces every secret value in `text` by `***` (longest first, so parts never leave a tail). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    masked = masked.split(secret).join('***');
  }
  return masked;
}
