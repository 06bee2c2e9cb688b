/** Pure: which channels an event goes to. */
import { type NotificationEventType, type NotificationSeverityName, severityRank } from '@nutfleet/notify';

export interface RoutableChannel {
  id: string;
  enabled: boolean;
  routes: readonly { eventTypes: readonly string[]; minSeverity: NotificationSeverityName }[];
}

/**
 * A channel receives an event when it is enabled and one of its routes lists the event type (or
 * lists none: every type) at a severity at or above the route's minimum. A channel without
 * routes receives nothing: routing is opt-in, so a new channel is quiet until routed.
 */
export function routeEvent(
  channels: readonly RoutableChannel[],
  eventType: NotificationEventType,
  severity: NotificationSeverityName,
): string[] {
  return channels
    .filter((c) => c.enabled)
    .filter((c) =>
      c.routes.some(
        (r) =>
          (r.eventTypes.length === 0 || r.eventTypes.includes(eventType)) &&
          severityRank(severity) >= severityRank(r.minSeverity),
      ),
    )
    .map((c) => c.id);
}
