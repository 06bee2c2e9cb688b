import { type VmInventory } from '../fleet-inventory';
import { PowerInputError } from '../power-input.error';
import { type ShutdownPolicyInput } from '../shutdown-policy';

/**
 * A what-if: UPS timelines and a fleet, run through the same monitor semantics, decision engine,
 * outage lifecycle and plan builder as the live product. Times are seconds from the start of the
 * timeline. The format is documented in the README ("Replay").
 */
export interface ReplayInput {
  readonly upses: ReadonlyArray<{ readonly id: string; readonly name?: string }>;
  readonly hosts: readonly ReplayHost[];
  /** What each UPS serves from `t` on; fields left out keep their previous value. */
  readonly timeline: readonly ReplayTimelineEntry[];
  /** The monitor's poll interval. Default 1000. */
  readonly pollIntervalMs?: number;
  /** How long a silence lasts before the monitor reports it (DEADTIME itself is the policy's). Default 3. */
  readonly commLossReportSeconds?: number;
  /** Until when to run, seconds. Default: 600 s after the last timeline entry. */
  readonly endAt?: number;
}

export interface ReplayHost {
  readonly id: string;
  readonly name?: string;
  readonly feeds: ReadonlyArray<{ readonly upsId: string; readonly powerValue: number }>;
  readonly minSupplies: number;
  /** Every decision setting (libs/power's policy shape); left out: the defaults. */
  readonly policy?: Omit<ShutdownPolicyInput, 'id'> & { readonly id?: string };
  /** Shutdown stage (lower goes down first). Default 0. */
  readonly stage?: number;
  readonly vms?: readonly VmInventory[];
  /** Measured `poweroff` duration, seconds (predictions use it). */
  readonly measuredPowerOffSeconds?: number;
}

export interface ReplayTimelineEntry {
  /** Seconds from the start. */
  readonly t: number;
  /** The UPS id (or name). */
  readonly ups: string;
  /** `ups.status` as upsd serves it, e.g. "OB DISCHRG LB". */
  readonly status?: string;
  /** `lost`: the NUT server does not answer for this UPS from now on; `ok`: it answers again. */
  readonly comm?: 'lost' | 'ok';
  readonly charge?: number;
  readonly runtime?: number;
  readonly inputVoltage?: number;
  /** upsd answers DATA-STALE (the driver stopped updating). */
  readonly stale?: boolean;
}

const MAX_HOSTS = 10_000;
const MAX_ENTRIES = 100_000;
const MAX_SPAN_SECONDS = 7 * 24 * 3600;

/** Validates a replay input from JSON, naming the first field that is wrong. */
export function parseReplayInput(value: unknown): ReplayInput {
  const root = object(value, 'input');
  const upses = list(root.upses, 'upses').map((u, i) => {
    const o = object(u, `upses[${i}]`);
    return {
      id: text(o.id, `upses[${i}].id`),
      ...(o.name !== undefined ? { name: text(o.name, `upses[${i}].name`) } : {}),
    };
  });
  if (upses.length === 0) throw new PowerInputError('upses', 'must name at least one UPS');
  const known = new Set(upses.flatMap((u) => [u.id, u.name ?? u.id]));
  const hosts = list(root.hosts, 'hosts').map((h, i) => parseHost(h, i, known));
  if (hosts.length > MAX_HOSTS) throw new PowerInputError('hosts', `at most ${MAX_HOSTS} hosts`);
  const timeline = list(root.timeline, 'timeline').map((e, i) => parseEntry(e, i, known));
  if (timeline.length > MAX_ENTRIES) throw new PowerInputError('timeline', `at most ${MAX_ENTRIES} entries`);
  const pollIntervalMs = optionalNumber(root.pollIntervalMs, 'pollIntervalMs', 100, 60_000);
  const commLossReportSeconds = optionalNumber(root.commLossReportSeconds, 'commLossReportSeconds', 0, 3600);
  const endAt = optionalNumber(root.endAt, 'endAt', 0, MAX_SPAN_SECONDS);
  const last = Math.max(0, ...timeline.map((e) => e.t));
  if (last > MAX_SPAN_SECONDS) throw new PowerInputError('timeline', `spans at most ${MAX_SPAN_SECONDS} s`);
  return {
    upses,
    hosts,
    timeline,
    ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
    ...(commLossReportSeconds !== undefined ? { commLossReportSeconds } : {}),
    ...(endAt !== undefined ? { endAt } : {}),
  };
}

function parseHost(value: unknown, i: number, known: ReadonlySet<string>): ReplayHost {
  const where = `hosts[${i}]`;
  const o = object(value, where);
  const feeds = list(o.feeds, `${where}.feeds`).map((f, j) => {
    const feed = object(f, `${where}.feeds[${j}]`);
    const upsId = text(feed.upsId, `${where}.feeds[${j}].upsId`);
    if (!known.has(upsId)) throw new PowerInputError(`${where}.feeds[${j}].upsId`, `no UPS "${upsId}" in upses`);
    return { upsId, powerValue: optionalNumber(feed.powerValue, `${where}.feeds[${j}].powerValue`, 0, 1000) ?? 1 };
  });
  const stage = optionalNumber(o.stage, `${where}.stage`, -1000, 1000);
  const measured = optionalNumber(o.measuredPowerOffSeconds, `${where}.measuredPowerOffSeconds`, 0, 86_400);
  return {
    id: text(o.id, `${where}.id`),
    ...(o.name !== undefined ? { name: text(o.name, `${where}.name`) } : {}),
    feeds,
    minSupplies: optionalNumber(o.minSupplies, `${where}.minSupplies`, 0, 1000) ?? 1,
    ...(o.policy !== undefined ? { policy: object(o.policy, `${where}.policy`) as ReplayHost['policy'] } : {}),
    ...(stage !== undefined ? { stage } : {}),
    ...(o.vms !== undefined ? { vms: list(o.vms, `${where}.vms`) as VmInventory[] } : {}),
    ...(measured !== undefined ? { measuredPowerOffSeconds: measured } : {}),
  };
}

function parseEntry(value: unknown, i: number, known: ReadonlySet<string>): ReplayTimelineEntry {
  const where = `timeline[${i}]`;
  const o = object(value, where);
  const ups = text(o.ups, `${where}.ups`);
  if (!known.has(ups)) throw new PowerInputError(`${where}.ups`, `no UPS "${ups}" in upses`);
  const t = optionalNumber(o.t, `${where}.t`, 0, MAX_SPAN_SECONDS);
  if (t === undefined) throw new PowerInputError(`${where}.t`, 'is required (seconds from the start)');
  if (o.comm !== undefined && o.comm !== 'lost' && o.comm !== 'ok')
    throw new PowerInputError(`${where}.comm`, 'must be "lost" or "ok"');
  if (o.stale !== undefined && typeof o.stale !== 'boolean')
    throw new PowerInputError(`${where}.stale`, 'must be a boolean');
  const charge = optionalNumber(o.charge, `${where}.charge`, -1e9, 1e9);
  const runtime = optionalNumber(o.runtime, `${where}.runtime`, -1e9, 1e9);
  const inputVoltage = optionalNumber(o.inputVoltage, `${where}.inputVoltage`, -1e9, 1e9);
  return {
    t,
    ups,
    ...(o.status !== undefined ? { status: text(o.status, `${where}.status`) } : {}),
    ...(o.comm !== undefined ? { comm: o.comm } : {}),
    ...(charge !== undefined ? { charge } : {}),
    ...(runtime !== undefined ? { runtime } : {}),
    ...(inputVoltage !== undefined ? { inputVoltage } : {}),
    ...(o.stale !== undefined ? { stale: o.stale } : {}),
  };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PowerInputError(field, 'must be an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new PowerInputError(field, 'must be a list');
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    throw new PowerInputError(field, 'must be a non-empty string of at most 200 characters');
  return value;
}

function optionalNumber(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new PowerInputError(field, `must be a number between ${min} and ${max}`);
  return value;
}
