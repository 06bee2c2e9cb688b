/** The live state of a UPS as the API shows it, built from its row (kept current by the monitor). */
import { parseNutNumber, parseUpsStatus } from '@nutfleet/nut';

export interface UpsLiveRow {
  id: string;
  name: string;
  description: string | null;
  nutServerId: string;
  status: string | null;
  variables: unknown;
  commState: 'UNKNOWN' | 'OK' | 'LOST';
  commError: string | null;
  lastSeenAt: Date | null;
  updatedAt: Date;
  nutServer: { name: string; host: string; port: number };
}

export interface UpsLiveView {
  id: string;
  name: string;
  description: string | null;
  nutServerId: string;
  /** `name@host:port`, as upsc would address it. */
  address: string;
  status: string | null;
  flags: string[];
  onBattery: boolean;
  lowBattery: boolean;
  batteryCharge: number | null;
  batteryRuntimeSeconds: number | null;
  upsLoad: number | null;
  commState: 'UNKNOWN' | 'OK' | 'LOST';
  commError: string | null;
  lastSeenAt: string | null;
  updatedAt: string;
}

/** The live fields the monitor keeps current, derived from a Ups row's status and variables. */
export interface UpsLiveFields {
  flags: string[];
  onBattery: boolean;
  lowBattery: boolean;
  batteryCharge: number | null;
  batteryRuntimeSeconds: number | null;
  upsLoad: number | null;
}

/** For any UPS response built from a Ups row (e.g. the inventory's /upses). */
export function upsLiveFields(row: { status: string | null; variables: unknown }): UpsLiveFields {
  const status = row.status === null ? null : parseUpsStatus(row.status);
  return {
    flags: status === null ? [] : [...status.flags, ...status.unknownTokens],
    onBattery: status?.onBattery ?? false,
    lowBattery: status?.lowBattery ?? false,
    batteryCharge: parseNutNumber(variable(row.variables, 'battery.charge')),
    batteryRuntimeSeconds: parseNutNumber(variable(row.variables, 'battery.runtime')),
    upsLoad: parseNutNumber(variable(row.variables, 'ups.load')),
  };
}

function variable(variables: unknown, name: string): string | undefined {
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return undefined;
  const value = (variables as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function upsLiveView(row: UpsLiveRow): UpsLiveView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    nutServerId: row.nutServerId,
    address: `${row.name}@${row.nutServer.host}:${row.nutServer.port}`,
    status: row.status,
    ...upsLiveFields(row),
    commState: row.commState,
    commError: row.commError,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
