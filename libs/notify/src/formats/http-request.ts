/** One HTTP request a channel sends: built by the pure formats, sent by the worker. */
export interface OutboundHttpRequest {
  /** The full URL, which may hold a secret (a webhook token, an ntfy topic): never shown. */
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const USER_AGENT = 'nutfleet-notifier';

export function jsonRequest(url: string, body: unknown, headers: Record<string, string> = {}): OutboundHttpRequest {
  return {
    url,
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
    body: JSON.stringify(body),
  };
}
