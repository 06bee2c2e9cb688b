/**
 * The groups whose scheduled rehearsal is due: those never rehearsed, or whose last rehearsal
 * (scheduled or on demand) began at least one interval ago. No interval (0): none, ever.
 */
export function dueRehearsalGroups<G extends { readonly id: string }>(
  groups: readonly G[],
  lastRehearsalAt: ReadonlyMap<string, number>,
  intervalMs: number,
  now: number,
): G[] {
  if (intervalMs <= 0) return [];
  return groups.filter((g) => {
    const last = lastRehearsalAt.get(g.id);
    return last === undefined || now - last >= intervalMs;
  });
}
