/**
 * The typed shape of NotificationDelivery.message and the event catalogue, shared by the API
 * (which routes events and stores messages) and the worker (which renders and sends them).
 * A message carries no secret: it is what the recipient reads.
 */

export interface NotificationEventInfo {
  readonly type: string;
  /** What a route's checkbox says. */
  readonly label: string;
  /** Groups the checkboxes on the dashboard. */
  readonly group: 'UPS' | 'Outage' | 'Plans' | 'Restart' | 'Hosts' | 'Rollouts' | 'Thresholds' | 'Other';
}

/** Every event a route can select, in the order the dashboard lists them. */
export const NOTIFICATION_EVENTS = [
  { type: 'ups.on-battery', label: 'UPS on battery', group: 'UPS' },
  { type: 'ups.low-battery', label: 'UPS low battery (LB)', group: 'UPS' },
  { type: 'ups.on-line', label: 'UPS back on line power', group: 'UPS' },
  { type: 'ups.comm-lost', label: 'UPS communication lost', group: 'UPS' },
  { type: 'ups.comm-restored', label: 'UPS communication restored', group: 'UPS' },
  { type: 'outage.opened', label: 'Outage opened', group: 'Outage' },
  { type: 'outage.closed', label: 'Outage closed', group: 'Outage' },
  { type: 'plan.created', label: 'Shutdown or restart plan started', group: 'Plans' },
  { type: 'plan.succeeded', label: 'Plan finished', group: 'Plans' },
  { type: 'plan.failed', label: 'Plan failed', group: 'Plans' },
  { type: 'plan.cancelled', label: 'Plan cancelled', group: 'Plans' },
  { type: 'restart.wave-started', label: 'Restart wave started (its gate opened)', group: 'Restart' },
  { type: 'restart.wave-finished', label: 'Restart wave finished', group: 'Restart' },
  { type: 'host.key-mismatch', label: 'Host SSH key changed', group: 'Hosts' },
  { type: 'readiness.dropped', label: 'Readiness below the threshold (host or fleet)', group: 'Hosts' },
  { type: 'readiness.recovered', label: 'Readiness back to the threshold', group: 'Hosts' },
  { type: 'rollout.succeeded', label: 'Rollout finished', group: 'Rollouts' },
  { type: 'rollout.failed', label: 'Rollout failed', group: 'Rollouts' },
  { type: 'threshold.alert', label: 'Threshold crossed (load, runtime, charge)', group: 'Thresholds' },
  { type: 'threshold.recovered', label: 'Threshold back to normal', group: 'Thresholds' },
  { type: 'test', label: 'Test messages', group: 'Other' },
] as const satisfies readonly NotificationEventInfo[];

export type NotificationEventType = (typeof NOTIFICATION_EVENTS)[number]['type'];
export const NOTIFICATION_EVENT_TYPES: readonly NotificationEventType[] = NOTIFICATION_EVENTS.map((e) => e.type);

export const NOTIFICATION_SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type NotificationSeverityName = (typeof NOTIFICATION_SEVERITIES)[number];

export function severityRank(severity: NotificationSeverityName): number {
  return NOTIFICATION_SEVERITIES.indexOf(severity);
}

export interface NotificationField {
  label: string;
  value: string;
}

export interface NotificationMessage {
  eventType: NotificationEventType;
  severity: NotificationSeverityName;
  /** One line: mail subject, chat headline. */
  title: string;
  /** A few sentences saying what happened and what nutfleet does about it. */
  text: string;
  fields: NotificationField[];
  /** When the event happened (ISO-8601). */
  at: string;
  /** Ids the recipient can look up in the API or the dashboard. */
  refs: { upsId?: string; planId?: string; hostId?: string; outageId?: string; thresholdId?: string };
}
