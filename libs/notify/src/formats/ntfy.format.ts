/**
 * ntfy: a POST of the plain text to the topic URL, with the title, priority and tags as headers
 * (ntfy's header API) and the access token, if any, as a bearer.
 */
import { type NotificationMessage } from '../notification-message';
import { type OutboundHttpRequest, USER_AGENT } from './http-request';
import { oneLine, plainTextBody, type Severity, truncate } from './message-text';

/** ntfy priorities: 3 default, 4 high (sound), 5 urgent (long vibration, pop-over). */
const PRIORITY: Record<Severity, number> = { INFO: 3, WARNING: 4, CRITICAL: 5 };
/** Tags that are emoji short codes show as emoji in front of the title. */
const EMOJI_TAG: Record<Severity, string> = {
  INFO: 'information_source',
  WARNING: 'warning',
  CRITICAL: 'rotating_light',
};

/**
 * HTTP header values are Latin-1 at best: non-ASCII text is sent as an RFC 2047 encoded word,
 * which ntfy (2.4 and later) decodes.
 */
export function headerText(text: string): string {
  const line = oneLine(text);
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

export function ntfyRequest(topicUrl: string, m: NotificationMessage, token: string | undefined): OutboundHttpRequest {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    'user-agent': USER_AGENT,
    title: headerText(truncate(m.title, 250)),
    priority: String(PRIORITY[m.severity]),
    tags: [EMOJI_TAG[m.severity], 'nutfleet', m.eventType].join(','),
  };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  // ntfy turns messages above 4 KB into attachments: keep it a message.
  return { url: topicUrl, headers, body: truncate(plainTextBody(m), 3900) };
}
