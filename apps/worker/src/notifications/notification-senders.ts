import { createHmac } from 'node:crypto';

import { createTransport } from 'nodemailer';

import { type EmailChannelSettings } from '@nutfleet/db';

import { type RenderedEmail } from './notification-render';

/** A send that failed; the message never contains a secret (password, webhook URL path). */
export class NotificationSendError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotificationSendError';
  }
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause =
    error.cause instanceof Error ? ` (${(error.cause as { code?: string }).code ?? error.cause.message})` : '';
  return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}${cause}`;
}

export async function sendEmail(
  settings: EmailChannelSettings,
  password: string | undefined,
  mail: RenderedEmail,
  timeoutMs: number,
): Promise<string> {
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    // starttls: refuse to send (credentials or content) if the server does not offer STARTTLS.
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username === null ? {} : { auth: { user: settings.username, pass: password ?? '' } }),
    tls: { ...(settings.caPem === null ? {} : { ca: settings.caPem }), minVersion: 'TLSv1.2' },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: mail.subject,
      text: mail.text,
    });
    return `accepted by ${settings.host}: ${String(info.response ?? '')}`.slice(0, 500);
  } catch (error) {
    // nodemailer's messages name the server and the SMTP reply, never the password.
    throw new NotificationSendError(`SMTP ${settings.host}:${settings.port}: ${reason(error)}`.slice(0, 1000), {
      cause: error,
    });
  } finally {
    transport.close();
  }
}

export async function postWebhook(
  url: string,
  body: unknown,
  signingSecret: string | undefined,
  timeoutMs: number,
): Promise<string> {
  const payload = JSON.stringify(body);
  const host = new URL(url).host;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'nutfleet-notifier' };
  if (signingSecret !== undefined)
    headers['x-nutfleet-signature'] = `sha256=${createHmac('sha256', signingSecret).update(payload).digest('hex')}`;
  let response: Response;
  try {
    // No redirects: a redirect would resend the message (and signature) somewhere unplanned.
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: payload,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // Only the host: the URL's path often is the secret (Slack, Teams...).
    throw new NotificationSendError(`webhook ${host}: ${reason(error)}`, { cause: error });
  }
  const text = (await response.text().catch(() => '')).slice(0, 200);
  if (!response.ok)
    throw new NotificationSendError(
      `webhook ${host} answered HTTP ${response.status}${text === '' ? '' : `: ${text}`}`,
    );
  return `webhook ${host} answered HTTP ${response.status}`;
}
