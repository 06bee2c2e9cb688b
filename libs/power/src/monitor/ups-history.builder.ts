import { type UpsHistory, type UpsObservation, parseUpsStatus } from '../ups-observation';

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
  /** The monitor's last good poll (epoch ms). */
  readonly lastSeenAt: number | null;
}

/** A battery sample the monitor took (raw figures: sentinels included). */
export interface UpsSampleRecord {
  readonly at: number;
  readonly status: string | null;
  readonly charge: number | null;
  readonly runtimeSeconds: number | null;
  readonly inputVoltage: number | null;
  /** `ups.load` in percent (charts only; samples recorded before it was sampled have none). */
  readonly load?: number | null;
}

/**
 * Rebuilds a UPS history for the decision engine from what the power monitor recorded: each
 * status change and comm-restored event is a reading, each comm-lost event a failed poll that
 * carries the monitor's last good poll (DEADTIME counts from it), each battery sample a reading
 * (the observed discharge); the Ups row's current state ends it (charge and runtime change
 * without a status change, and the engine needs their latest values). Observations are sorted
 * by time; later than `now` is left out.
 */
export function buildUpsHistory(
  ups: UpsRowRecord,
  events: readonly PowerEventRecord[],
  now: number,
  samples: readonly UpsSampleRecord[] = [],
): UpsHistory {
  const timed: Array<{ at: number; order: number; observation: UpsObservation }> = [];
  events.forEach((event, index) => {
    if (event.at > now) return;
    if (event.type === 'COMM_LOST') {
      const lastGoodAt = isoMs(dataOf(event.data).lastGoodAt);
      timed.push({
        at: event.at,
        order: index,
        observation: { at: event.at, comm: 'lost', ...(lastGoodAt !== undefined ? { lastGoodAt } : {}) },
      });
    } else if ((event.type === 'STATUS_CHANGE' || event.type === 'COMM_RESTORED') && event.status !== null) {
      timed.push({ at: event.at, order: index, observation: reading(event.at, event.status, event.data) });
    }
  });
  for (const sample of samples) {
    if (sample.at > now || sample.status === null) continue;
    timed.push({
      at: sample.at,
      // After the events of the same instant: a sample never reorders a change.
      order: Number.MAX_SAFE_INTEGER,
      observation: {
        at: sample.at,
        comm: 'ok',
        status: parseUpsStatus(sample.status),
        ...(sample.charge !== null ? { charge: sample.charge } : {}),
        ...(sample.runtimeSeconds !== null ? { runtimeSeconds: sample.runtimeSeconds } : {}),
        ...(sample.inputVoltage !== null ? { inputVoltage: sample.inputVoltage } : {}),
      },
    });
  }
  timed.sort((a, b) => a.at - b.at || a.order - b.order);
  const observations = timed.map((t) => t.observation);
  const lastAt = observations.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
  if (ups.commState === 'OK' && ups.status !== null && ups.lastSeenAt !== null) {
    observations.push(reading(Math.min(now, Math.max(ups.lastSeenAt, lastAt)), ups.status, ups.variables));
  } else if (ups.commState === 'LOST' && observations.at(-1)?.comm !== 'lost') {
    observations.push({
      at: Math.max(lastAt, ups.lastSeenAt ?? lastAt, 0),
      comm: 'lost',
      ...(ups.lastSeenAt !== null ? { lastGoodAt: ups.lastSeenAt } : {}),
    });
  }
  return { upsId: ups.id, nutServerId: ups.nutServerId, observations };
}

function dataOf(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

function reading(at: number, status: string, data: unknown): UpsObservation {
  const vars = dataOf(data);
  const charge = num(vars['battery.charge']);
  const runtime = num(vars['battery.runtime']);
  const inputVoltage = num(vars['input.voltage']);
  const chargeLow = num(vars['battery.charge.low']);
  return {
    at,
    comm: 'ok',
    status: parseUpsStatus(status),
    ...(charge !== undefined ? { charge } : {}),
    ...(runtime !== undefined ? { runtimeSeconds: runtime } : {}),
    ...(inputVoltage !== undefined ? { inputVoltage } : {}),
    ...(chargeLow !== undefined ? { chargeLowPercent: chargeLow } : {}),
  };
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function isoMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
