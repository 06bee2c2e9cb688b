/** One line of the outage timeline, `at` in epoch ms. */
export interface TimelineEntry {
  readonly at: number;
  readonly text: string;
}

export interface TimelineStep {
  readonly action: string;
  readonly stage: number;
  readonly state: string;
  readonly hostName: string | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly error: string | null;
}

export interface GateDecision {
  readonly at: number;
  readonly wave: number;
  readonly open: boolean;
  readonly checks: ReadonlyArray<{ gate: string; open: boolean; reasons: readonly string[] }>;
}

const rel = (t0: number, at: number): string => `+${((at - t0) / 1000).toFixed(1).padStart(6)} s`;

export function formatTimeline(t0: number, entries: readonly TimelineEntry[]): string[] {
  return [...entries].sort((a, b) => a.at - b.at).map((e) => `${rel(t0, e.at)}  ${e.text}`);
}

/** Shutdown: one line per host (its VMs stopped, then the host powered off), by stage. */
export function shutdownEntries(steps: readonly TimelineStep[]): TimelineEntry[] {
  const hosts = [...new Set(steps.map((s) => s.hostName ?? '?'))];
  return hosts.flatMap((host) => {
    const own = steps.filter((s) => s.hostName === host);
    const off = own.find((s) => s.action === 'host-power-off');
    const vms = own.filter((s) => s.action === 'vm-stop');
    if (!off?.finishedAt) return [];
    const vmText =
      vms.length > 0 ? `${vms.filter((v) => v.state === 'SUCCEEDED').length}/${vms.length} VM(s) stopped, ` : '';
    return [
      { at: off.finishedAt, text: `shutdown  stage ${off.stage}  ${host}: ${vmText}host powered off (${off.state})` },
    ];
  });
}

/** Restart: per host its wake, and when it was verified (or why not), by wave. */
export function restartEntries(steps: readonly TimelineStep[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const s of steps) {
    if (s.action === 'wake' && s.finishedAt)
      out.push({ at: s.finishedAt, text: `restart   wave ${s.stage}  ${s.hostName ?? '?'}: magic packets sent` });
    if (s.action === 'verify-esxi' && s.state === 'SUCCEEDED' && s.finishedAt)
      out.push({
        at: s.finishedAt,
        text: `restart   wave ${s.stage}  ${s.hostName ?? '?'}: SSH answers, ESXi verified`,
      });
    if (s.action === 'power-on-vms' && s.finishedAt)
      out.push({
        at: s.finishedAt,
        text: `restart   wave ${s.stage}  ${s.hostName ?? '?'}: VMs outside autostart powered on (${s.state})`,
      });
    if (s.state === 'FAILED' && s.finishedAt)
      out.push({
        at: s.finishedAt,
        text: `restart   wave ${s.stage}  ${s.hostName ?? '?'}: ${s.action} FAILED: ${s.error ?? ''}`,
      });
  }
  return out;
}

export function gateEntries(decisions: readonly GateDecision[]): TimelineEntry[] {
  return decisions.map((d) => {
    const closed = d.checks.filter((c) => !c.open);
    const why = d.open
      ? 'every gate open'
      : closed
          .map(
            (c) =>
              `${c.gate}: ${c.reasons
                .filter((r) => r.length > 0)
                .slice(0, 2)
                .join('; ')}`,
          )
          .join(' | ');
    return { at: d.at, text: `gate      wave ${d.wave}  ${d.open ? 'OPEN  ' : 'CLOSED'} ${why}` };
  });
}

/** The waves in the order their first host was woken: the demo's check that they came back in order. */
export function wakeOrder(steps: readonly TimelineStep[]): number[] {
  const firstWake = new Map<number, number>();
  for (const s of steps) {
    if (s.action !== 'wake' || s.startedAt === null) continue;
    firstWake.set(s.stage, Math.min(firstWake.get(s.stage) ?? Number.POSITIVE_INFINITY, s.startedAt));
  }
  return [...firstWake.entries()].sort((a, b) => a[1] - b[1]).map(([wave]) => wave);
}
