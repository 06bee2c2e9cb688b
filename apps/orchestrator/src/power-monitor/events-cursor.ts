/** `since` of GET /events: a PowerEvent id (exclusive) or an ISO-8601 time (receivedAt, exclusive). */
export type EventsCursor = { kind: 'id'; id: bigint } | { kind: 'time'; at: Date } | { kind: 'start' };

export class EventsCursorError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'EventsCursorError';
  }
}

export function parseEventsCursor(since: string | undefined): EventsCursor {
  if (since === undefined || since.trim() === '') return { kind: 'start' };
  const value = since.trim();
  if (/^\d{1,19}$/.test(value)) {
    const id = BigInt(value);
    if (id > 9223372036854775807n) throw new EventsCursorError('since: event id out of range');
    return { kind: 'id', id };
  }
  // Only full ISO timestamps: Date.parse accepts too much ("1", "May 3") to be a contract.
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return { kind: 'time', at };
  }
  throw new EventsCursorError('since: expected an event id (digits) or an ISO-8601 time such as 2026-01-31T12:00:00Z');
}

export function parseEventsLimit(limit: string | undefined, max = 1000, fallback = 100): number {
  if (limit === undefined || limit === '') return fallback;
  if (!/^\d+$/.test(limit)) throw new EventsCursorError(`limit: expected an integer between 1 and ${max}`);
  const n = Number(limit);
  if (n < 1 || n > max) throw new EventsCursorError(`limit: expected an integer between 1 and ${max}`);
  return n;
}
