import { type LastShutdownMeasurement } from '@nutfleet/power';

/** A host power-off step of a finished shutdown plan, as the measurement needs it. */
export interface PowerOffRecord {
  readonly hostId: string;
  readonly state: string;
  readonly finishedAt: number | null;
}

/**
 * What the last shutdown really took: from the plan's start until the last host it powered off
 * was down, in total and per UPS (the hosts that UPS feeds). The battery gate uses it to judge
 * whether the batteries would survive a second outage right after the restart.
 */
export function measureShutdown(
  startedAt: number,
  powerOffs: readonly PowerOffRecord[],
  feeds: ReadonlyArray<{ readonly hostId: string; readonly upsId: string }>,
): LastShutdownMeasurement | undefined {
  const done = powerOffs.filter((p) => p.state === 'SUCCEEDED' && p.finishedAt !== null);
  if (done.length === 0) return undefined;
  const seconds = (end: number): number => Math.max(0, Math.ceil((end - startedAt) / 1000));
  const endOf = new Map(done.map((p) => [p.hostId, p.finishedAt ?? startedAt]));
  const perUps: Record<string, number> = {};
  for (const feed of feeds) {
    const end = endOf.get(feed.hostId);
    if (end === undefined) continue;
    perUps[feed.upsId] = Math.max(perUps[feed.upsId] ?? 0, seconds(end));
  }
  return { durationSeconds: seconds(Math.max(...done.map((p) => p.finishedAt ?? startedAt))), perUpsSeconds: perUps };
}

/**
 * Hosts nutfleet took down in a shutdown (power-off SUCCEEDED, or `poweroff` sent): they were
 * up before the outage, so the restart brings them back.
 */
export function hostsTakenDown(powerOffs: ReadonlyArray<PowerOffRecord & { readonly commandSent: boolean }>): string[] {
  return [...new Set(powerOffs.filter((p) => p.state === 'SUCCEEDED' || p.commandSent).map((p) => p.hostId))].sort();
}
