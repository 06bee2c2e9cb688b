/**
 * Threshold crossing for readiness alerts: one notification when a subject (a host, a group,
 * the fleet) drops below the threshold, none while it stays below, one "recovered" when it comes
 * back to or above it. The set of subjects below is the state the caller keeps between passes.
 */
export interface ReadinessCrossingInput {
  /** Subject key (e.g. `host:<id>`, `fleet`) → current score; null = not scored yet. */
  readonly scores: ReadonlyMap<string, number | null>;
  /** Subjects that were below the threshold after the previous evaluation. */
  readonly previouslyBelow: ReadonlySet<string>;
  /** 0–100: a score strictly below it is "not ready". */
  readonly threshold: number;
}

export interface ReadinessCrossing {
  readonly subject: string;
  readonly direction: 'dropped' | 'recovered';
  readonly score: number;
}

export interface ReadinessCrossingResult {
  readonly crossings: readonly ReadinessCrossing[];
  /** The state for the next evaluation. */
  readonly below: ReadonlySet<string>;
}

export function detectReadinessCrossings(input: ReadinessCrossingInput): ReadinessCrossingResult {
  const below = new Set<string>();
  const crossings: ReadinessCrossing[] = [];
  for (const [subject, score] of [...input.scores.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const wasBelow = input.previouslyBelow.has(subject);
    // Not scored yet: keep what was known, never alert on the absence of results.
    if (score === null) {
      if (wasBelow) below.add(subject);
      continue;
    }
    const isBelow = score < input.threshold;
    if (isBelow) below.add(subject);
    if (isBelow && !wasBelow) crossings.push({ subject, direction: 'dropped', score });
    if (!isBelow && wasBelow) crossings.push({ subject, direction: 'recovered', score });
  }
  // A subject that disappeared (host deleted) leaves the state without a notification.
  return { crossings, below };
}
