/** Pure: an outage record as "opened" and "closed" notifications, naming its UPSes and the hosts they feed. */
import { feedsSentence, nameList } from '@nutfleet/notify';

import { type NotificationDraft } from './notification-events';

export interface OutageSource {
  id: string;
  openedAt: Date;
  closedAt: Date | null;
  closeReason: string | null;
  disarmedBy: string | null;
  /** `name@host:port` of each UPS that left line power during it. */
  upses: readonly string[];
  /** Hosts those UPSes feed. */
  hosts: readonly string[];
}

/** "1 h 5 min", "12 min 5 s", "40 s". */
export function spokenDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function fields(o: OutageSource): NotificationDraft['message']['fields'] {
  return [
    { label: 'Outage', value: o.id },
    { label: 'UPSes', value: nameList(o.upses) },
    { label: 'Hosts concerned', value: nameList(o.hosts) },
    { label: 'Opened at', value: o.openedAt.toISOString() },
    ...(o.closedAt === null ? [] : [{ label: 'Closed at', value: o.closedAt.toISOString() }]),
  ];
}

export function outageOpenedDraft(o: OutageSource): NotificationDraft {
  const which = o.upses.length === 1 ? `UPS ${o.upses[0] ?? ''}` : `${o.upses.length} UPSes`;
  return {
    dedupKey: `outage:${o.id}:opened`,
    message: {
      eventType: 'outage.opened',
      severity: 'WARNING',
      title: `Outage: ${which} left line power`,
      text:
        `nutfleet opened an outage: ${nameList(o.upses)} on battery. ${feedsSentence(o.hosts, o.upses.length === 1 ? 'It' : 'They')} ` +
        'Shutdown plans start when a host’s policy triggers; the dashboard follows the outage live.',
      fields: fields(o),
      at: o.openedAt.toISOString(),
      refs: { outageId: o.id },
    },
  };
}

export function outageClosedDraft(o: OutageSource): NotificationDraft | null {
  if (o.closedAt === null) return null;
  const lasted = spokenDuration(o.closedAt.getTime() - o.openedAt.getTime());
  return {
    dedupKey: `outage:${o.id}:closed`,
    message: {
      eventType: 'outage.closed',
      severity: 'INFO',
      title: `Outage closed after ${lasted}${o.closeReason === null ? '' : ` (${o.closeReason})`}`,
      text:
        `The outage of ${nameList(o.upses)} is over after ${lasted}` +
        `${o.closeReason === null ? '' : `: ${o.closeReason}`}.` +
        `${o.disarmedBy === null ? '' : ` Its automatic shutdown had been cancelled by ${o.disarmedBy}.`} ` +
        `Hosts concerned: ${nameList(o.hosts)}.`,
      fields: fields(o),
      at: o.closedAt.toISOString(),
      refs: { outageId: o.id },
    },
  };
}
