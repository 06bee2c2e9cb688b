export interface LatencySummary {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

/**
 * Runs `once` from `clients` concurrent loops until `total` calls are done or `maxMs` has passed;
 * every call's latency in ms is kept. `once` is told which loop (0..clients-1) calls it.
 */
export async function runClosedLoop(
  clients: number,
  total: number,
  maxMs: number,
  once: (client: number) => Promise<boolean>,
): Promise<LatencySummary> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  const deadline = begin + maxMs;
  const loop = async (_: unknown, client: number): Promise<void> => {
    while (started < total && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      const ok = await once(client);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const elapsed = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    perSecond: latencies.length / elapsed,
  };
}

export function formatSummary(label: string, s: LatencySummary): string {
  return `${label.padEnd(44)} n=${String(s.count).padStart(5)} err=${s.errors} p50=${s.p50.toFixed(2)} ms p99=${s.p99.toFixed(2)} ms max=${s.max.toFixed(1)} ms ${s.perSecond.toFixed(0)} req/s`;
}
