import { type PlanWarning } from './shutdown-plan.types';
import { type EpochMs } from './time';
import { readUpsTimeline } from './ups-timeline';
import { type UpsHistory, type UpsId, hasToken, isOnBattery } from './ups-observation';
import { type RestartWave } from './restart-plan.types';

/**
 * What a restart preview must say before hosts are woken onto a UPS that is not plainly on line.
 * A woken host starts a new outage: its on-battery timers count from the restart, but LB and FSD
 * count at once — a host woken onto an LB UPS is shut down again as soon as it is back.
 * One warning per UPS and wave, naming the hosts it feeds there.
 */
export function restartWakeWarnings(
  waves: readonly RestartWave[],
  upsHistories: readonly UpsHistory[],
  now: EpochMs,
): PlanWarning[] {
  const histories = new Map<UpsId, UpsHistory>(upsHistories.map((h) => [h.upsId, h]));
  const warnings: PlanWarning[] = [];
  for (const wave of waves) {
    for (const upsId of wave.upsIds) {
      const history = histories.get(upsId);
      const facts = history === undefined ? undefined : readUpsTimeline(history, now, 0);
      const values = { upsId, wave: wave.wave, hosts: wave.hostIds.length };
      const onto = `wave ${wave.wave} (${wave.hostIds.length} host(s))`;
      if (facts?.commLostSince !== undefined || facts?.lastReading === undefined) {
        warnings.push({
          code: 'WAKE_ONTO_UNKNOWN_UPS',
          message: `${upsId} has not answered the monitor${facts?.commLostSince !== undefined ? ` since ${new Date(facts.commLostSince).toISOString()}` : ''}: ${onto} would be woken onto a UPS nutfleet cannot see, and the restart gate keeps it down until it answers`,
          values,
        });
        continue;
      }
      const reading = facts.lastReading;
      if (hasToken(reading, 'FSD')) {
        warnings.push({
          code: 'WAKE_ONTO_FSD',
          message: `${upsId} shows FSD, latched in upsd since the shutdown: a woken host's NUT client would shut it down again at once. The restart waits until it is gone; restart upsd on its NUT server to clear it`,
          values,
        });
      }
      if (hasToken(reading, 'LB')) {
        warnings.push({
          code: 'WAKE_ONTO_LOW_BATTERY',
          message: `${upsId} reports LB (low battery): LB counts at once in a new outage, so ${onto} would be shut down again as soon as it is back. Wait until the battery has recharged`,
          values,
        });
      }
      if (isOnBattery(reading)) {
        warnings.push({
          code: 'WAKE_ONTO_BATTERY',
          message: `${upsId} is on battery: ${onto} would run on battery, under a new outage whose on-battery timers start at the restart`,
          values,
        });
      }
    }
  }
  return warnings;
}
