import { type BatterySample } from './battery-readings';
import { PowerInputError } from './power-input.error';
import { type EpochMs, addSeconds } from './time';
import {
  type UpsHistory,
  type UpsReading,
  hasToken,
  isCalibrating,
  isCleanlyOnLine,
  isOff,
  isOnBattery,
  hasMains,
} from './ups-observation';

/** What a UPS history says at one instant; everything the evaluators need, computed once. */
export interface UpsTimelineFacts {
  /** Last successful poll at or before `now`. */
  readonly lastReading?: UpsReading;
  /** Set when the latest observation is a failed poll: first failure of the current silence. */
  readonly commLostSince?: EpochMs;
  /**
   * During a silence: the last good poll (DEADTIME counts from here, as upsmon's does from its
   * `lastpoll`), which may be earlier than the silence was reported.
   */
  readonly silentSince?: EpochMs;
  /** Start of the current on-battery episode, when the last reading shows OB. */
  readonly onBatterySince?: EpochMs;
  /** Start of the current uninterrupted OB+LB run, when the last reading shows both. */
  readonly lowBatterySince?: EpochMs;
  /** Start of the current run of readings showing CAL. */
  readonly calibratingSince?: EpochMs;
  /** Start of the current run of readings showing OFF. */
  readonly offSince?: EpochMs;
  /** OL→OB onsets inside the flap window, oldest first. */
  readonly onsetsInWindow: readonly EpochMs[];
  /** Seconds spent on battery inside the flap window (all episodes, the current one up to `now`). */
  readonly onBatterySecondsInWindow: number;
  /** Charge readings of the current on-battery episode, oldest first: the observed discharge. */
  readonly episodeSamples: readonly BatterySample[];
  /**
   * Start of the current run of clean on-line readings with no failed poll in between
   * (a silence may hide a flap, so it breaks the run). Absent unless on line now.
   */
  readonly onLineSince?: EpochMs;
  /**
   * Start of the current run of readings with mains present (OL, not OB, not OFF) and no failed
   * poll in between, LB or FSD notwithstanding: when power came back, for the outage's end.
   */
  readonly mainsSince?: EpochMs;
}

/**
 * Reads a history up to `now` (later observations are ignored, which lets callers replay an
 * outage). Throws when observations are out of order: a shuffled history gives wrong episodes.
 */
export function readUpsTimeline(
  history: UpsHistory,
  now: EpochMs,
  flapWindowSeconds: number,
  /** Onsets and on-battery time before this instant are not counted (a new outage's timers start here). */
  countFrom: EpochMs = Number.NEGATIVE_INFINITY,
): UpsTimelineFacts {
  let lastReading: UpsReading | undefined;
  let commLostSince: EpochMs | undefined;
  let lastGoodReported: EpochMs | undefined;
  let onBatterySince: EpochMs | undefined;
  let lowBatterySince: EpochMs | undefined;
  let calibratingSince: EpochMs | undefined;
  let offSince: EpochMs | undefined;
  let onLineSince: EpochMs | undefined;
  let mainsSince: EpochMs | undefined;
  let samples: BatterySample[] = [];
  const onsets: EpochMs[] = [];
  /** Closed on-battery episodes: [start, end). */
  const episodes: Array<[EpochMs, EpochMs]> = [];
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
      if (commLostSince === undefined) {
        commLostSince = observation.at;
        lastGoodReported = observation.lastGoodAt;
      }
      onLineSince = undefined;
      mainsSince = undefined;
      return;
    }
    commLostSince = undefined;
    lastGoodReported = undefined;
    const wasOnBattery = lastReading !== undefined && isOnBattery(lastReading);
    const wasLowBattery = wasOnBattery && lastReading !== undefined && hasToken(lastReading, 'LB');
    const wasOnLine = lastReading !== undefined && isCleanlyOnLine(lastReading) && onLineSince !== undefined;
    const wasCalibrating = lastReading !== undefined && isCalibrating(lastReading);
    const wasOff = lastReading !== undefined && isOff(lastReading);

    if (isOnBattery(observation)) {
      if (!wasOnBattery) {
        onBatterySince = observation.at;
        onsets.push(observation.at);
        samples = [];
      }
      lowBatterySince = hasToken(observation, 'LB') ? (wasLowBattery ? lowBatterySince : observation.at) : undefined;
      if (observation.charge !== undefined) samples.push({ at: observation.at, charge: observation.charge });
    } else {
      if (wasOnBattery && onBatterySince !== undefined) episodes.push([onBatterySince, observation.at]);
      onBatterySince = undefined;
      lowBatterySince = undefined;
      samples = [];
    }
    calibratingSince = isCalibrating(observation) ? (wasCalibrating ? calibratingSince : observation.at) : undefined;
    offSince = isOff(observation) ? (wasOff ? offSince : observation.at) : undefined;
    onLineSince = isCleanlyOnLine(observation) ? (wasOnLine ? onLineSince : observation.at) : undefined;
    mainsSince = hasMains(observation) ? (mainsSince ?? observation.at) : undefined;
    lastReading = observation;
  });

  const windowStart = Math.max(addSeconds(now, -flapWindowSeconds), countFrom);
  if (onBatterySince !== undefined) episodes.push([onBatterySince, now]);
  const onBatteryMsInWindow = episodes.reduce(
    (sum, [start, end]) => sum + Math.max(0, Math.min(end, now) - Math.max(start, windowStart)),
    0,
  );
  // Without the monitor's last good poll, the silence is counted from its first failed poll: a
  // history of changes only does not show the good polls between its last reading and the loss.
  const silentSince =
    commLostSince === undefined ? undefined : Math.min(lastGoodReported ?? commLostSince, commLostSince);
  return {
    lastReading,
    commLostSince,
    ...(silentSince !== undefined ? { silentSince } : {}),
    onBatterySince,
    lowBatterySince,
    calibratingSince,
    offSince,
    onsetsInWindow: onsets.filter((at) => at >= windowStart && at > addSeconds(now, -flapWindowSeconds)),
    onBatterySecondsInWindow: onBatteryMsInWindow / 1000,
    episodeSamples: samples,
    onLineSince,
    mainsSince,
  };
}
