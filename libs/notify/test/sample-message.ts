import { type NotificationMessage } from '../src/notification-message';

/** A message with what formats must escape or cut: a CR/LF title, markup, a non-ASCII character. */
export const sampleMessage: NotificationMessage = {
  eventType: 'ups.on-battery',
  severity: 'WARNING',
  title: 'UPS ups1@nut:3493 is on battery\r\nBcc: evil@example.com',
  text: 'Mains failed <now> & then',
  fields: [
    { label: 'UPS', value: 'ups1@nut:3493' },
    { label: 'Battery charge', value: '80 %' },
  ],
  at: '2026-01-01T00:00:00.000Z',
  refs: { upsId: 'u1' },
};

export function messageWith(changes: Partial<NotificationMessage>): NotificationMessage {
  return { ...sampleMessage, ...changes };
}
