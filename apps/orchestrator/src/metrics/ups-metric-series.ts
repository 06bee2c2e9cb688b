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

/**
 * Where a UPS sits in the fleet, as labels: nutfleet has no site field, so the nearest truthful
 * location is the NUT server that serves it (`nut_server`, its inventory name); a UPS belongs to no
 * group, so `group` names the groups of the hosts it powers (see `upsGroupLabel`).
 */
export interface UpsPlacement {
  readonly nutServer: string;
  readonly group: string;
}

/**
 * The groups of the hosts a UPS powers (feeds with a power value; watched-only feeds do not
 * count), distinct, sorted, comma-joined: "edge", or "edge,lab" for a UPS shared by two groups.
 * Hosts without a group are not named; a UPS powering no grouped host gets "". One value per UPS,
 * so the label adds no series, and its values are bounded by the number of UPSes.
 */
export function upsGroupLabel(hostGroups: readonly (string | null)[]): string {
  return [...new Set(hostGroups.filter((g): g is string => g !== null && g !== ''))]
    .sort((a, b) => a.localeCompare(b))
    .join(',');
}

export interface UpsSamples {
  status: Sample[];
  commOk: Sample;
  charge: Sample | null;
  runtime: Sample | null;
  load: Sample | null;
}

const FLAG = /^[A-Z]{1,16}$/;

export function upsSamples(ups: UpsLiveView, placement: UpsPlacement): UpsSamples {
  const base = { ups: ups.address, nut_server: placement.nutServer, group: placement.group };
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
