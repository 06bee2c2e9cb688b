/**
 * Per-server poll pacing: the monitor polls fast (POWER_MONITOR_POLL_INTERVAL_MS) to see an
 * outage within a fraction of a second, but a NUT server that cannot keep up (a round took
 * longer than its interval) must not be hammered: its interval doubles, up to a cap, and comes
 * back down step by step once its rounds are quick again. Halving only when a round took at
 * most half the interval keeps a server hovering near the limit from flapping.
 */
export interface PollPacing {
  /** The configured interval, ms: never polled faster than this. */
  baseMs: number;
  /** The slowest a struggling server is polled, ms. */
  maxMs: number;
}

/** The interval for a server's next round, from its current one and how long the last round took. */
export function nextPollInterval(currentMs: number, roundMs: number, pacing: PollPacing): number {
  const floor = pacing.baseMs;
  const cap = Math.max(floor, pacing.maxMs);
  const current = Math.min(cap, Math.max(floor, currentMs));
  if (roundMs > current) return Math.min(cap, current * 2);
  if (roundMs <= current / 2) return Math.max(floor, current / 2);
  return current;
}
