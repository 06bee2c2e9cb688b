import { type PrismaClientWithPool } from '@nutfleet/db';
import {
  mergePolicyInput,
  type ReplayHost,
  type ReplayInput,
  type ReplayTimelineEntry,
  type ShutdownPolicyInput,
} from '@nutfleet/power';

import { toHostInventory, toShutdownPolicy } from '../host-inventory.mapper';

export interface RecordedRange {
  readonly from: Date;
  readonly to: Date;
  /** Merged over every host's policy: what if the policy had said this? */
  readonly policyOverrides?: Omit<ShutdownPolicyInput, 'id'>;
  /** The monitor's settings the recording was made with. */
  readonly pollIntervalMs: number;
  readonly commLossReportSeconds: number;
}

/** At most this long a range: a replay polls every interval of it. */
const MAX_RANGE_MS = 24 * 3600 * 1000;

export class RecordedRangeError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'RecordedRangeError';
  }
}

/**
 * The recorded form of a replay: what the monitor recorded between two instants (status changes,
 * comm losses with their last good poll, battery samples), the current inventory and its
 * policies, as the same input a file would give. Each UPS starts in the state it had at `from`.
 */
export async function loadRecordedReplayInput(
  prisma: PrismaClientWithPool,
  range: RecordedRange,
): Promise<ReplayInput> {
  const span = range.to.getTime() - range.from.getTime();
  if (!(span > 0)) throw new RecordedRangeError('"to" must be after "from"');
  if (span > MAX_RANGE_MS) throw new RecordedRangeError('a recorded range spans at most 24 hours');
  const [upses, hosts, policies, events, samples] = await Promise.all([
    prisma.ups.findMany({ select: { id: true, name: true, nutServer: { select: { name: true } } } }),
    prisma.host.findMany({
      select: {
        id: true,
        name: true,
        minSupplies: true,
        shutdownStage: true,
        restartWave: true,
        policyId: true,
        powerState: true,
        facts: true,
        group: { select: { policyId: true } },
        feeds: { select: { upsId: true, powerValue: true } },
      },
    }),
    prisma.policy.findMany(),
    prisma.powerEvent.findMany({
      where: {
        upsId: { not: null },
        type: { in: ['STATUS_CHANGE', 'COMM_LOST', 'COMM_RESTORED'] },
        receivedAt: { lte: range.to },
      },
      orderBy: { id: 'asc' },
      select: { upsId: true, type: true, status: true, data: true, observedAt: true, receivedAt: true },
    }),
    prisma.upsSample.findMany({
      where: { at: { gte: range.from, lte: range.to } },
      orderBy: { at: 'asc' },
      select: { upsId: true, at: true, charge: true, runtimeSeconds: true, inputVoltage: true },
    }),
  ]);
  const defaultPolicy = policies.find((p) => p.isDefault);
  if (defaultPolicy === undefined) throw new RecordedRangeError('no default policy: run `npm run db:seed`');
  const resolved = new Map(policies.map((p) => [p.id, toShutdownPolicy(p)]));
  const seconds = (at: Date): number => Math.max(0, (at.getTime() - range.from.getTime()) / 1000);

  const timeline: ReplayTimelineEntry[] = [];
  const before = new Map<string, ReplayTimelineEntry>();
  for (const e of events) {
    if (e.upsId === null) continue;
    const at = e.observedAt ?? e.receivedAt;
    const entry = eventEntry(e.type, e.upsId, e.status, e.data, at, range.from);
    if (entry === undefined) continue;
    // The state at `from` is the last recorded one before it (the replay starts from it).
    if (at < range.from) before.set(e.upsId, { ...(before.get(e.upsId) ?? {}), ...entry, t: 0 });
    else timeline.push(entry);
  }
  for (const s of samples) {
    timeline.push({
      t: seconds(s.at),
      ups: s.upsId,
      ...(s.charge !== null ? { charge: s.charge } : {}),
      ...(s.runtimeSeconds !== null ? { runtime: s.runtimeSeconds } : {}),
      ...(s.inputVoltage !== null ? { inputVoltage: s.inputVoltage } : {}),
    });
  }
  timeline.push(...before.values());
  timeline.sort((a, b) => a.t - b.t);

  const replayHosts: ReplayHost[] = hosts.map((h) => {
    const inventory = toHostInventory({ ...h, groupPolicyId: h.group?.policyId ?? null }, defaultPolicy.id);
    const policy = resolved.get(inventory.policyId);
    return {
      id: h.id,
      name: h.name,
      feeds: h.feeds,
      minSupplies: h.minSupplies,
      stage: h.shutdownStage,
      vms: inventory.vms,
      ...(policy !== undefined ? { policy: mergePolicyInput(policy, range.policyOverrides) } : {}),
    };
  });
  return {
    upses: upses.map((u) => ({ id: u.id, name: `${u.name}@${u.nutServer.name}` })),
    hosts: replayHosts,
    timeline,
    pollIntervalMs: range.pollIntervalMs,
    commLossReportSeconds: range.commLossReportSeconds,
    endAt: span / 1000,
  };
}

function eventEntry(
  type: string,
  upsId: string,
  status: string | null,
  data: unknown,
  at: Date,
  from: Date,
): ReplayTimelineEntry | undefined {
  const t = Math.max(0, (at.getTime() - from.getTime()) / 1000);
  const vars = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const num = (name: string): number | undefined => {
    const value = vars[name];
    return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
      ? Number(value)
      : undefined;
  };
  if (type === 'COMM_LOST') {
    // The server stopped answering just after the last good poll; the report came later.
    const lastGood = typeof vars.lastGoodAt === 'string' ? Date.parse(vars.lastGoodAt) : NaN;
    const lostAt = Number.isFinite(lastGood) ? lastGood + 1 : at.getTime();
    return { t: Math.max(0, (lostAt - from.getTime()) / 1000), ups: upsId, comm: 'lost' };
  }
  if (status === null) return undefined;
  const charge = num('battery.charge');
  const runtime = num('battery.runtime');
  const inputVoltage = num('input.voltage');
  return {
    t,
    ups: upsId,
    status,
    ...(type === 'COMM_RESTORED' ? { comm: 'ok' as const } : {}),
    ...(charge !== undefined ? { charge } : {}),
    ...(runtime !== undefined ? { runtime } : {}),
    ...(inputVoltage !== undefined ? { inputVoltage } : {}),
  };
}
