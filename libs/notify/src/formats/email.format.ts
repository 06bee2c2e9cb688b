/** A NotificationMessage as a plain-text mail. */
import { type NotificationMessage } from '../notification-message';
import { oneLine, plainTextBody } from './message-text';

export interface RenderedEmail {
  subject: string;
  text: string;
}

/** Subject starts with the severity so mail filters and SMS gateways can act on it. */
export function renderEmail(m: NotificationMessage): RenderedEmail {
  return {
    subject: oneLine(`[nutfleet ${m.severity}] ${m.title}`),
    text: `${plainTextBody(m)}\n\n-- nutfleet\n`,
  };
}
