import { type EpochMs, addSeconds, formatInstant, formatSeconds, secondsBetween } from '../time';
import { type UpsId } from '../ups-observation';
import { type PowerCycleSettings } from './power-cycle.types';

export interface PowerCycleTimingInput {
  readonly upsId: UpsId;
  readonly settings: PowerCycleSettings;
  /** When the plan starts (or started). */
  readonly planStartAt: EpochMs;
  /** When the last host this UPS feeds is predicted down. */
  readonly lastHostDownAt: EpochMs;
  /** `ups.delay.shutdown` as the UPS reports it, when readable. */
  readonly upsShutdownDelaySeconds?: number;
  /** `ups.delay.start` as the UPS reports it, when readable. */
  readonly upsStartDelaySeconds?: number;
  /**
   * A NUT primary's HOSTSYNC for this UPS when the operator entered it (nutfleet cannot read
   * upsmon.conf): the primary kills UPS power that long after FSD, hosts down or not.
   */
  readonly primaryHostSyncSeconds?: number;
}

export type PowerCycleTimingWarningCode = 'NUT_PRIMARY_CUTS_FIRST' | 'UPS_DELAY_UNKNOWN' | 'STAYOFF_NO_RESTART';

export interface PowerCycleTimingWarning {
  readonly code: PowerCycleTimingWarningCode;
  readonly message: string;
}

export interface PowerCycleTiming {
  /** When the command goes out at the earliest: the last host predicted down. */
  readonly sendAt: EpochMs;
  /** Delay before the cut: the configured one, else the UPS's own, else unknown. */
  readonly offDelaySeconds?: number;
  readonly outputOffAt?: EpochMs;
  readonly warnings: readonly PowerCycleTimingWarning[];
  /** One line for the preview. */
  readonly summary: string;
}

/**
 * Timing of the cycle for the preview and the dry run: when it is sent, when the output goes
 * off, and what would cut power before the hosts are down, where the product can know it.
 */
export function powerCycleTiming(input: PowerCycleTimingInput): PowerCycleTiming {
  const { settings, upsId } = input;
  const warnings: PowerCycleTimingWarning[] = [];
  const offDelay = settings.offDelaySeconds ?? input.upsShutdownDelaySeconds;
  const outputOffAt = offDelay === undefined ? undefined : addSeconds(input.lastHostDownAt, offDelay);
  if (offDelay === undefined)
    warnings.push({
      code: 'UPS_DELAY_UNKNOWN',
      message: `${upsId}: the UPS's shutdown delay is not readable and none is configured; when the output goes off is unknown`,
    });
  if (input.primaryHostSyncSeconds !== undefined) {
    const primaryCutsAt = addSeconds(input.planStartAt, input.primaryHostSyncSeconds);
    if (primaryCutsAt < input.lastHostDownAt) {
      warnings.push({
        code: 'NUT_PRIMARY_CUTS_FIRST',
        message: `${upsId}: a NUT primary with HOSTSYNC ${formatSeconds(input.primaryHostSyncSeconds)} would cut power at ${formatInstant(primaryCutsAt)}, ${formatSeconds(secondsBetween(primaryCutsAt, input.lastHostDownAt))} before the last host is predicted down`,
      });
    }
  }
  if (settings.action === 'shutdown.stayoff')
    warnings.push({
      code: 'STAYOFF_NO_RESTART',
      message: `${upsId}: shutdown.stayoff leaves the output off; no host it feeds comes back until someone turns it on`,
    });
  const start = settings.onDelaySeconds ?? input.upsStartDelaySeconds;
  const summary =
    `${settings.action} on ${upsId} once the last host is down (predicted ${formatInstant(input.lastHostDownAt)})` +
    (outputOffAt === undefined ? '' : `, output off at ${formatInstant(outputOffAt)}`) +
    (settings.action === 'shutdown.stayoff'
      ? ', and it stays off'
      : start === undefined
        ? ', back on when mains is'
        : `, back on ${formatSeconds(start)} after mains is`);
  return {
    sendAt: input.lastHostDownAt,
    ...(offDelay === undefined ? {} : { offDelaySeconds: offDelay }),
    ...(outputOffAt === undefined ? {} : { outputOffAt }),
    warnings,
    summary,
  };
}
