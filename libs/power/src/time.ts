/** Milliseconds since the Unix epoch. Every instant in this library uses it. */
export type EpochMs = number;

export function secondsBetween(from: EpochMs, to: EpochMs): number {
  return (to - from) / 1000;
}

export function addSeconds(at: EpochMs, seconds: number): EpochMs {
  return at + seconds * 1000;
}

/** Readable instant for reasons: ISO text is what operators paste into tickets. */
export function formatInstant(at: EpochMs): string {
  return new Date(at).toISOString();
}

/** Whole seconds when exact, one decimal otherwise: reasons stay short. */
export function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds} s` : `${seconds.toFixed(1)} s`;
}
