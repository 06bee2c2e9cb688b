import { type EpochMs } from '../time';

/**
 * Spreads readiness checks evenly over an interval: each host has a fixed offset inside it (a
 * hash of its id), so 1,000 hosts every 15 minutes are about one every 0.9 s, never a burst, and
 * every orchestrator replica computes the same schedule (the pass number goes into the job id,
 * so replicas enqueueing the same slot add one job).
 */
/**
 * Slots fill the first 90 % of the interval: the last host's checks (a cold SSH handshake, a slow
 * host) still end inside it, so a pass never takes longer than the interval.
 */
export const READINESS_SPREAD = 0.9;

export function readinessSlotOffsetMs(hostId: string, intervalMs: number): number {
  // FNV-1a, 32 bits: stable across processes and versions, cheap, well spread for uuids.
  let hash = 0x811c9dc5;
  for (let i = 0; i < hostId.length; i++) {
    hash ^= hostId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return Math.floor((hash / 0x1_0000_0000) * intervalMs * READINESS_SPREAD);
}

export interface DueReadinessCheck {
  readonly hostId: string;
  /** Which pass (floor(slot time / interval)): part of the job id. */
  readonly pass: number;
}

/** The hosts whose slot falls in (fromExclusive, toInclusive], each once per pass it crosses. */
export function dueReadinessChecks(
  hostIds: readonly string[],
  intervalMs: number,
  fromExclusive: EpochMs,
  toInclusive: EpochMs,
): DueReadinessCheck[] {
  if (toInclusive <= fromExclusive) return [];
  const due: DueReadinessCheck[] = [];
  const firstPass = Math.floor(fromExclusive / intervalMs);
  const lastPass = Math.floor(toInclusive / intervalMs);
  for (const hostId of hostIds) {
    const offset = readinessSlotOffsetMs(hostId, intervalMs);
    for (let pass = firstPass; pass <= lastPass; pass++) {
      const at = pass * intervalMs + offset;
      if (at > fromExclusive && at <= toInclusive) due.push({ hostId, pass });
    }
  }
  return due;
}
