import { readUpsTimeline, type UpsHistory } from '@nutfleet/power';

/**
 * Is the outage a plan was made for over? Yes once every UPS of the plan has been cleanly on
 * line since after the plan was created. Until then, hosts that turn critical join that plan.
 */
export function outageOver(
  upsIds: readonly string[],
  planCreatedAt: number,
  histories: readonly UpsHistory[],
  now: number,
): boolean {
  if (upsIds.length === 0) return true;
  const byId = new Map(histories.map((h) => [h.upsId, h]));
  return upsIds.every((id) => {
    const history = byId.get(id);
    if (history === undefined) return false;
    const since = readUpsTimeline(history, now, 0).onLineSince;
    return since !== undefined && since > planCreatedAt;
  });
}

/**
 * The dedup key of a new automatic plan: the start of the earliest on-battery episode among
 * the UPSes feeding the critical hosts (stable for the whole episode, so every evaluation and
 * every replica computes the same key), else the minute of `now` (FSD or comm loss on line).
 */
export function outageKey(upsIds: readonly string[], histories: readonly UpsHistory[], now: number): string {
  const byId = new Map(histories.map((h) => [h.upsId, h]));
  const starts = upsIds
    .map((id) => byId.get(id))
    .filter((h): h is UpsHistory => h !== undefined)
    .map((h) => readUpsTimeline(h, now, 0).onBatterySince)
    .filter((t): t is number => t !== undefined);
  const at = starts.length > 0 ? Math.min(...starts) : Math.floor(now / 60_000) * 60_000;
  return `outage-${new Date(at).toISOString()}`;
}
