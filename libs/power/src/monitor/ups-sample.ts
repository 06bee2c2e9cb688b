import { type EpochMs } from '../time';
import { type UpsSampleRecord } from './ups-history.builder';
import { type UpsMonitorState } from './ups-poll.detector';

/** A battery sample as the monitor records it (raw numbers, sentinels included). */
/**
 * The monitor records a sample each time it writes a UPS's figures (see shouldWriteUpsRow): the
 * discharge predictions and the charts read them.
 */
export function sampleOf(state: UpsMonitorState, at: EpochMs): UpsSampleRecord {
  const v = state.variables ?? {};
  const num = (name: string): number | null => {
    const value = v[name];
    return value !== undefined && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : null;
  };
  return {
    at,
    status: state.status,
    charge: num('battery.charge'),
    runtimeSeconds: num('battery.runtime'),
    inputVoltage: num('input.voltage'),
    load: num('ups.load'),
  };
}
