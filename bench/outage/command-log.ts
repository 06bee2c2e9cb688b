/**
 * Reads the simulator's streamed command log (one JSON line per exec request, see the sim CLI's
 * `--command-log`) and finds, per host, the first shutdown command after an instant.
 */
import { readFileSync } from 'node:fs';

interface LoggedCommand {
  readonly host: string;
  readonly at: number;
  readonly line: string;
}

/**
 * The commands that start taking a host down: a VM guest shutdown, suspend or power-off, or the
 * host's own poweroff / esxcli system shutdown. Reads (getstate, getallvms, `true`) do not count.
 */
export const SHUTDOWN_COMMAND = /vmsvc\/power\.(shutdown|suspend|off)\b|^'?poweroff\b|system shutdown/;

/**
 * The host's own power-off: plain `poweroff` (what nutfleet sends; the log holds the line as sent,
 * each word quoted) or `esxcli system shutdown poweroff`.
 */
export const HOST_POWEROFF_COMMAND = /^'?poweroff\b|system'? '?shutdown'? '?poweroff/;

export class CommandLog {
  private offset = 0;
  private readonly entries: LoggedCommand[] = [];

  public constructor(private readonly file: string) {}

  /** Reads what was appended since the last call (complete lines only). */
  public refresh(): void {
    const text = readFileSync(this.file, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end <= this.offset) return;
    for (const line of text.slice(this.offset, end).split('\n')) {
      if (line.trim() !== '') this.entries.push(JSON.parse(line) as LoggedCommand);
    }
    this.offset = end;
  }

  /** Host id → instant (epoch ms) of its first command matching `pattern` at or after `since`. */
  public firstMatching(pattern: RegExp, since: number): Map<string, number> {
    const first = new Map<string, number>();
    for (const e of this.entries) {
      if (e.at < since || !pattern.test(e.line)) continue;
      const seen = first.get(e.host);
      if (seen === undefined || e.at < seen) first.set(e.host, e.at);
    }
    return first;
  }

  /** Host id → how many commands matching `pattern` it received at or after `since`. */
  public countMatching(pattern: RegExp, since: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.entries) {
      if (e.at >= since && pattern.test(e.line)) counts.set(e.host, (counts.get(e.host) ?? 0) + 1);
    }
    return counts;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

export interface Distribution {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function formatDistribution(d: Distribution): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return `n=${d.n}  p50 ${s(d.p50)}  p99 ${s(d.p99)}  max ${s(d.max)}`;
}
