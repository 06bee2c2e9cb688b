import { PowerInputError } from './power-input.error';
import { type EpochMs, addSeconds } from './time';
import { type UpsHistory, type UpsReading, hasToken, isCleanlyOnLine, isOnBattery } from './ups-observation';

/** What a UPS history says at one instant; everything the evaluators need, computed once. */
export interface UpsTimelineFacts {
  /** Last successful poll at or before `now`. */
  readonly lastReading?: UpsReading;
  /** Set when the latest observation is a failed poll: first failure of the current silence. */
  readonly commLostSince?: EpochMs;
  /** Start of the current on-battery episode, when the last reading shows OB. */
  readonly onBatterySince?: EpochMs;
  /** Start of the current uninterrupted OB+LB run, when the last reading shows both. */
  readonly lowBatterySince?: EpochMs;
  /** OL→OB onsets inside the flap window, oldest first. */
  readonly onsetsInWindow: readonly EpochMs[];
  /**
   * Start of the current run of clean on-line readings with no failed poll in between
   * (a silence may hide a flap, so it breaks the run). Absent unless on line now.
   */
  readonly onLineSince?: EpochMs;
}

/**
 * Reads a history up to `now` (later observations are ignored, which lets callers replay an
 * outage). Throws when observations are out of order: a shuffled history gives wrong episodes.
 */
export function readUpsTimeline(history: UpsHistory, now: EpochMs, flapWindowSeconds: number): UpsTimelineFacts {
  let lastReading: UpsReading | undefined;
  let commLostSince: EpochMs | undefined;
  let onBatterySince: EpochMs | undefined;
  let lowBatterySince: EpochMs | undefined;
  let onLineSince: EpochMs | undefined;
  const onsets: EpochMs[] = [];
  let previousAt = Number.NEGATIVE_INFINITY;

  history.observations.forEach((observation, index) => {
    if (observation.at < previousAt) {
      throw new PowerInputError(
        `histories[${history.upsId}].observations[${index}].at`,
        'observations must be in time order, oldest first',
      );
    }
    previousAt = observation.at;
    if (observation.at > now) return;

    if (observation.comm === 'lost') {
      commLostSince ??= observation.at;
      onLineSince = undefined;
      return;
    }
    commLostSince = undefined;
    const wasOnBattery = lastReading !== undefined && isOnBattery(lastReading);
    const wasLowBattery = lastReading !== undefined && isOnBattery(lastReading) && hasToken(lastReading, 'LB');
    const wasOnLine = lastReading !== undefined && isCleanlyOnLine(lastReading) && onLineSince !== undefined;

    if (isOnBattery(observation)) {
      if (!wasOnBattery) {
        onBatterySince = observation.at;
        onsets.push(observation.at);
      }
      lowBatterySince = hasToken(observation, 'LB') ? (wasLowBattery ? lowBatterySince : observation.at) : undefined;
    } else {
      onBatterySince = undefined;
      lowBatterySince = undefined;
    }
    onLineSince = isCleanlyOnLine(observation) ? (wasOnLine ? onLineSince : observation.at) : undefined;
    lastReading = observation;
  });

  const windowStart = addSeconds(now, -flapWindowSeconds);
  return {
    lastReading,
    commLostSince,
    onBatterySince,
    lowBatterySince,
    onsetsInWindow: onsets.filter((at) => at > windowStart),
    onLineSince,
  };
}
