/**
 * Pure mapping from the live UPS state to Prometheus samples. One gauge per status flag (0/1)
 * rather than an info metric with the whole status string: alerts like `nutfleet_ups_status
 * {flag="OB"} == 1` stay simple and survive flags appearing in any order.
 */
import { type UpsLiveView } from '../power-monitor/ups-live.view';

/** Flags always exported (0 when absent), so a series exists before the first outage. */
export const EXPORTED_UPS_FLAGS = [
  'OL',
  'OB',
  'LB',
  'HB',
  'RB',
  'CHRG',
  'DISCHRG',
  'BYPASS',
  'CAL',
  'OFF',
  'OVER',
  'TRIM',
  'BOOST',
  'FSD',
] as const;

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface UpsSamples {
  status: Sample[];
  commOk: Sample;
  charge: Sample | null;
  runtime: Sample | null;
  load: Sample | null;
}

const FLAG = /^[A-Z]{1,16}$/;

export function upsSamples(ups: UpsLiveView): UpsSamples {
  const base = { ups: ups.address };
  const present = new Set(ups.flags);
  const flags = new Set<string>(EXPORTED_UPS_FLAGS);
  // Vendor flags beyond the standard set are exported too, if they look like flags.
  for (const flag of present) if (FLAG.test(flag)) flags.add(flag);
  return {
    status: [...flags].map((flag) => ({ labels: { ...base, flag }, value: present.has(flag) ? 1 : 0 })),
    commOk: { labels: base, value: ups.commState === 'OK' ? 1 : 0 },
    charge: ups.batteryCharge === null ? null : { labels: base, value: ups.batteryCharge },
    runtime: ups.batteryRuntimeSeconds === null ? null : { labels: base, value: ups.batteryRuntimeSeconds },
    load: ups.upsLoad === null ? null : { labels: base, value: ups.upsLoad },
  };
}

export interface HostHealthRow {
  name: string;
  trustState: string;
  lastSeenAt: Date | null;
  lastError: string | null;
}

/**
 * Up: the last contact with the host succeeded (seen at least once, no error since). Hosts
 * never contacted are down: a host the orchestrator cannot reach cannot be shut down either.
 */
export function hostUp(host: HostHealthRow): number {
  return host.lastSeenAt !== null && host.lastError === null ? 1 : 0;
}
