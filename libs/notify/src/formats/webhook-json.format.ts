/** The generic JSON webhook: a flat body with ids to look up, optionally HMAC-signed. */
import { createHmac } from 'node:crypto';

import { type NotificationMessage } from '../notification-message';
import { jsonRequest, type OutboundHttpRequest } from './http-request';

export interface WebhookBody {
  source: 'nutfleet';
  deliveryId: string;
  test: boolean;
  eventType: string;
  severity: string;
  title: string;
  text: string;
  at: string;
  fields: NotificationMessage['fields'];
  refs: NotificationMessage['refs'];
}

export function renderWebhookJson(m: NotificationMessage, deliveryId: string, test: boolean): WebhookBody {
  return {
    source: 'nutfleet',
    deliveryId,
    test,
    eventType: m.eventType,
    severity: m.severity,
    title: m.title,
    text: m.text,
    at: m.at,
    fields: m.fields,
    refs: m.refs,
  };
}

/** `X-Nutfleet-Signature: sha256=<hex HMAC-SHA256 of the exact body>` when a signing key is set. */
export function webhookRequest(
  url: string,
  m: NotificationMessage,
  delivery: { id: string; test: boolean },
  signingSecret: string | undefined,
): OutboundHttpRequest {
  const request = jsonRequest(url, renderWebhookJson(m, delivery.id, delivery.test));
  if (signingSecret !== undefined)
    request.headers['x-nutfleet-signature'] =
      `sha256=${createHmac('sha256', signingSecret).update(request.body).digest('hex')}`;
  return request;
}
