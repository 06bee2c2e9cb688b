/**
 * The worst-case time, from the start of nutfleet's shutdown plan, by which a host is powered off
 * — counted only over what bounds that host: the outage of its own UPSes.
 *
 * In a plan, stages run one after the other (a stage opens when the earlier ones are done or past
 * their deadline) and the hosts of a stage in parallel, each its VM batches then its poweroff. So
 * a host's deadline is the length of the earlier stages plus its own steps, and a stage lasts as
 * long as its slowest host. The hosts that can hold this host's stage back in the outage its own
 * client reacts to are those the same UPSes feed: hosts on other UPSes, or in this host's stage or
 * a later one, never move it, however many there are.
 *
 *   D(host) = Σ over earlier stages s of max{ own(g) : g in stage s, g shares a UPS with host } + own(host)
 */

export interface DeadlineHost {
  readonly id: string;
  readonly name: string;
  readonly stage: number;
  /** UPSes that power it (feeds with a power value; watched-only feeds left out). */
  readonly upsIds: readonly string[];
  /** Worst case of its own steps, in seconds: its VM batches one after another, then its poweroff. */
  readonly ownSeconds: number;
}

export interface EarlierStage {
  readonly stage: number;
  readonly seconds: number;
  /** The host whose own steps are the longest in that stage: it sets the stage's length. */
  readonly boundedBy: { readonly id: string; readonly name: string };
}

export interface HostShutdownDeadline {
  readonly hostId: string;
  readonly deadlineSeconds: number;
  readonly stage: number;
  readonly ownSeconds: number;
  readonly upsIds: readonly string[];
  /** The stages before this host's, among hosts sharing one of its UPSes, in order. */
  readonly earlierStages: readonly EarlierStage[];
}

interface StageMax {
  readonly seconds: number;
  readonly host: DeadlineHost;
}

/** Longest host wins; equal lengths go to the name first in order (stable explanations). */
function longer(a: StageMax | undefined, b: StageMax): StageMax {
  if (a === undefined || b.seconds > a.seconds) return b;
  if (b.seconds === a.seconds && b.host.name.localeCompare(a.host.name) < 0) return b;
  return a;
}

/** Every host's deadline (see the module comment); linear in hosts × their UPSes × stages. */
export function boundedShutdownDeadlines(hosts: readonly DeadlineHost[]): Map<string, HostShutdownDeadline> {
  // For each UPS, the slowest host of each stage it feeds.
  const byUps = new Map<string, Map<number, StageMax>>();
  for (const host of hosts)
    for (const ups of new Set(host.upsIds)) {
      const stages = byUps.get(ups) ?? new Map<number, StageMax>();
      stages.set(host.stage, longer(stages.get(host.stage), { seconds: host.ownSeconds, host }));
      byUps.set(ups, stages);
    }
  const result = new Map<string, HostShutdownDeadline>();
  for (const host of hosts) {
    const earlier = new Map<number, StageMax>();
    for (const ups of new Set(host.upsIds))
      for (const [stage, max] of byUps.get(ups) ?? [])
        if (stage < host.stage) earlier.set(stage, longer(earlier.get(stage), max));
    const earlierStages = [...earlier.entries()]
      .sort(([a], [b]) => a - b)
      .map(([stage, max]) => ({
        stage,
        seconds: max.seconds,
        boundedBy: { id: max.host.id, name: max.host.name },
      }));
    result.set(host.id, {
      hostId: host.id,
      deadlineSeconds: earlierStages.reduce((sum, s) => sum + s.seconds, 0) + host.ownSeconds,
      stage: host.stage,
      ownSeconds: host.ownSeconds,
      upsIds: [...new Set(host.upsIds)],
      earlierStages,
    });
  }
  return result;
}

/**
 * "820 s: stage 2 in an outage of ups1@nut1 starts after stage 0 (280 s, set by esx-03) and
 * stage 1 (360 s, set by esx-07); then this host's own steps take 180 s (...)".
 */
export function describeShutdownDeadline(deadline: HostShutdownDeadline, upsName: (upsId: string) => string): string {
  const outage =
    deadline.upsIds.length > 0 ? `an outage of ${deadline.upsIds.map(upsName).join(' + ')}` : 'an outage (no UPS feed)';
  const start =
    deadline.earlierStages.length === 0
      ? `stage ${deadline.stage} is the first to go down in ${outage}`
      : `stage ${deadline.stage} in ${outage} starts after ${deadline.earlierStages
          .map((s) => `stage ${s.stage} (${s.seconds} s, set by ${s.boundedBy.name})`)
          .join(', ')}`;
  return (
    `${deadline.deadlineSeconds} s: ${start}; then this host's own steps take ${deadline.ownSeconds} s ` +
    '(its VM batches one after another, then its poweroff). Hosts on other UPSes or in later stages do not count'
  );
}
