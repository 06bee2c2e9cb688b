/** Timing and memory figures shared by both runs of the bench. */
import { readFileSync } from 'node:fs';

export interface RunFigures {
  readonly hosts: number;
  readonly failures: number;
  readonly wallMs: number;
  /** Per host: from the start of its work (connect included) to its answer. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly peakRssBytes: number;
  /** Peak summed RSS of child processes (the ssh clients); 0 when there are none. */
  readonly peakChildRssBytes: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Samples this process's RSS (and optionally children's) every few ms until stopped. */
export class MemorySampler {
  private peak = process.memoryUsage.rss();
  private peakChildren = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(childPids: () => Iterable<number> = () => [], intervalMs = 100) {
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
      let sum = 0;
      for (const pid of childPids()) sum += rssOf(pid);
      this.peakChildren = Math.max(this.peakChildren, sum);
    }, intervalMs);
  }

  stop(): { peakRssBytes: number; peakChildRssBytes: number } {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return { peakRssBytes: this.peak, peakChildRssBytes: this.peakChildren };
  }
}

function rssOf(pid: number): number {
  try {
    // statm: size resident shared ... in pages; 4 KiB pages on this machine's kernels.
    const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1] ?? 0);
    return resident * 4096;
  } catch {
    return 0;
  }
}

/** Runs `work` on every item with at most `limit` in flight; returns per-item durations. */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<boolean>,
): Promise<{ durations: number[]; failures: number; wallMs: number }> {
  const durations: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      const t0 = performance.now();
      const ok = await work(item).catch(() => false);
      durations.push(performance.now() - t0);
      if (!ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return { durations: durations.sort((a, b) => a - b), failures, wallMs: performance.now() - started };
}

export function describeRun(label: string, f: RunFigures): string {
  const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return [
    `${label}:`,
    `  hosts ${f.hosts}, failures ${f.failures}, wall ${(f.wallMs / 1000).toFixed(2)} s, ${((f.hosts / f.wallMs) * 1000).toFixed(1)} hosts/s`,
    `  per host p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms`,
    `  peak RSS of the bench process ${mib(f.peakRssBytes)}` +
      (f.peakChildRssBytes > 0 ? `, peak summed RSS of its ssh processes ${mib(f.peakChildRssBytes)}` : ''),
  ].join('\n');
}
