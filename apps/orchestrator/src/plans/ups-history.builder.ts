import { type UpsHistory, type UpsObservation, parseUpsStatus } from '@nutfleet/power';

/** The parts of a PowerEvent row the history needs. */
export interface PowerEventRecord {
  readonly type: 'STATUS_CHANGE' | 'COMM_LOST' | 'COMM_RESTORED' | 'STALE_DATA' | 'DECISION' | 'PLAN';
  readonly status: string | null;
  readonly data: unknown;
  /** observedAt when the server said, else receivedAt (epoch ms). */
  readonly at: number;
}

/** The Ups row now: its last status and variables, and whether the monitor can read it. */
export interface UpsRowRecord {
  readonly id: string;
  readonly nutServerId: string;
  readonly status: string | null;
  readonly variables: unknown;
  readonly commState: 'UNKNOWN' | 'OK' | 'LOST';
  readonly lastSeenAt: number | null;
}

/**
 * Rebuilds a UPS history for `libs/power` from what the power monitor recorded: each status
 * change and comm-restored event is a reading, each comm-lost event a failed poll; the Ups row's
 * current variables end it (charge and runtime change without a status change, and the
 * decision engine needs their latest values). Observations are sorted by time.
 */
export function buildUpsHistory(ups: UpsRowRecord, events: readonly PowerEventRecord[], now: number): UpsHistory {
  const observations: UpsObservation[] = [];
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    if (event.at > now) continue;
    if (event.type === 'COMM_LOST') observations.push({ at: event.at, comm: 'lost' });
    else if ((event.type === 'STATUS_CHANGE' || event.type === 'COMM_RESTORED') && event.status !== null) {
      observations.push(reading(event.at, event.status, event.data));
    }
  }
  const lastAt = observations.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
  if (ups.commState === 'OK' && ups.status !== null && ups.lastSeenAt !== null) {
    observations.push(reading(Math.min(now, Math.max(ups.lastSeenAt, lastAt)), ups.status, ups.variables));
  } else if (ups.commState === 'LOST' && observations.at(-1)?.comm !== 'lost') {
    observations.push({ at: Math.max(lastAt, ups.lastSeenAt ?? lastAt, 0), comm: 'lost' });
  }
  return { upsId: ups.id, nutServerId: ups.nutServerId, observations };
}

function reading(at: number, status: string, data: unknown): UpsObservation {
  const vars = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const charge = num(vars['battery.charge']);
  const runtime = num(vars['battery.runtime']);
  return {
    at,
    comm: 'ok',
    status: parseUpsStatus(status),
    ...(charge !== undefined ? { charge } : {}),
    ...(runtime !== undefined ? { runtimeSeconds: runtime } : {}),
  };
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
