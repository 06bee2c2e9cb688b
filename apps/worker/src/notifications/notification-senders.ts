import { createTransport } from 'nodemailer';

import { type EmailChannelSettings, type OutboundHttpRequest, type RenderedEmail } from '@nutfleet/notify';

/**
 * A send that failed; the message never contains a secret (password, URL path, token).
 * `retryable`: whether trying again later may help (a receiver down may come back; a refused
 * token, a removed webhook or a redirect will not).
 */
export class NotificationSendError extends Error {
  public readonly retryable: boolean;

  public constructor(message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NotificationSendError';
    this.retryable = options?.retryable ?? true;
  }
}

/** 4xx answers other than timeout and rate limit say the request itself is refused. */
function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
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
    // nodemailer's messages name the server and the SMTP reply, never the password. A 5xx reply
    // (recipient refused, authentication failed) is permanent; 4xx and network errors are not.
    const responseCode = (error as { responseCode?: unknown }).responseCode;
    throw new NotificationSendError(`SMTP ${settings.host}:${settings.port}: ${reason(error)}`.slice(0, 1000), {
      cause: error,
      retryable: !(typeof responseCode === 'number' && responseCode >= 500),
    });
  } finally {
    transport.close();
  }
}

/**
 * POSTs one channel request. Only to the configured URL: a redirect is not followed (it would
 * resend the message, and its signature or token, somewhere unplanned) but reported. Errors name
 * the channel kind, the URL's host and the HTTP status, never the URL itself.
 */
export async function sendHttp(request: OutboundHttpRequest, kind: string, timeoutMs: number): Promise<string> {
  const where = `${kind.toLowerCase()} ${new URL(request.url).host}`;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new NotificationSendError(
      timedOut ? `${where}: no answer within ${timeoutMs} ms` : `${where}: ${reason(error)}`,
      { cause: error },
    );
  }
  const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
  if (response.status >= 300 && response.status < 400)
    throw new NotificationSendError(
      `${where} answered HTTP ${response.status} (a redirect, not followed: configure the final URL)`,
      { retryable: false },
    );
  if (!response.ok)
    throw new NotificationSendError(`${where} answered HTTP ${response.status}${text === '' ? '' : `: ${text}`}`, {
      retryable: retryableStatus(response.status),
    });
  return `${where} answered HTTP ${response.status}`;
}
