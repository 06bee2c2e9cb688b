/** Text pieces several formats share. */
import { type NotificationMessage } from '../notification-message';

export type Severity = NotificationMessage['severity'];

/** Cuts `text` to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** One line: no CR/LF that could start a new header or break a one-line title. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** The text, then the fields aligned as `Label: value`, then when and what: for plain-text channels. */
export function plainTextBody(m: NotificationMessage): string {
  const width = Math.max(0, ...m.fields.map((f) => f.label.length));
  return [
    m.text,
    '',
    ...m.fields.map((f) => `${`${f.label}:`.padEnd(width + 2)}${f.value}`),
    `${'Time:'.padEnd(width + 2)}${m.at}`,
    `${'Event:'.padEnd(width + 2)}${m.eventType} (${m.severity})`,
  ].join('\n');
}
