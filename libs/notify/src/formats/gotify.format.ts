/**
 * Gotify: POST <server>/message with the application token and a JSON title, message and priority.
 * The token goes in the X-Gotify-Key header rather than `?token=` (both are Gotify's API), so it
 * never lands in a proxy's access log.
 */
import { type NotificationMessage } from '../notification-message';
import { jsonRequest, type OutboundHttpRequest } from './http-request';
import { plainTextBody, type Severity, truncate } from './message-text';

/** Gotify clients: 1–3 quiet, 4–7 normal notification, 8–10 intrusive. */
const PRIORITY: Record<Severity, number> = { INFO: 3, WARNING: 6, CRITICAL: 9 };

/** `<server>/message`, keeping a sub-path the server is published under (https://x/gotify/). */
export function gotifyMessageUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/message`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

export interface GotifyBody {
  title: string;
  message: string;
  priority: number;
  extras: Record<string, unknown>;
}

export function renderGotify(m: NotificationMessage): GotifyBody {
  return {
    title: truncate(m.title, 250),
    message: truncate(plainTextBody(m), 8000),
    priority: PRIORITY[m.severity],
    extras: { 'client::display': { contentType: 'text/plain' } },
  };
}

export function gotifyRequest(serverUrl: string, m: NotificationMessage, appToken: string): OutboundHttpRequest {
  return jsonRequest(gotifyMessageUrl(serverUrl), renderGotify(m), { 'x-gotify-key': appToken });
}
