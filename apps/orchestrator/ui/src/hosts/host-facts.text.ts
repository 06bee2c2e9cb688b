/**
 * What the host page shows from a host's facts and desired configuration: VMs with their
 * autostart, NICs, and each UserVar actual against desired with the reason. Pure.
 */
import { type DesiredConfigDto, type HostDto } from '../api-types.generated.js';

/** The parts of `HostFactsDto` the page reads (the OpenAPI document leaves them untyped). */
interface VmFact {
  id: number;
  name: string;
  powerState: string;
  tools: string;
}
interface NicFact {
  name: string;
  macAddress: string;
  linkStatus: string;
  speedMbps: number | null;
}
interface AutostartFact {
  defaults?: { enabled?: boolean };
  sequence?: Array<{ vmId: number; startOrder: number }>;
}
type UserVarFact = { type: 'integer' | 'string'; value: number | string | null } | { type: 'secret'; set: boolean };

export interface VmRow {
  name: string;
  power: string;
  tools: string;
  autostart: string;
}

const POWER: Record<string, string> = { poweredOn: 'on', poweredOff: 'off', suspended: 'suspended' };
const TOOLS: Record<string, string> = {
  running: 'running',
  notRunning: 'not running',
  notInstalled: 'not installed',
  unknown: 'unknown',
};

export function vmRows(facts: NonNullable<HostDto['facts']>): VmRow[] {
  const autostart = facts.autostart as AutostartFact;
  const order = new Map((autostart.sequence ?? []).map((s) => [s.vmId, s.startOrder]));
  const enabled = autostart.defaults?.enabled === true;
  return (facts.vms as unknown as VmFact[]).map((vm) => {
    const position = order.get(vm.id);
    return {
      name: vm.name,
      power: POWER[vm.powerState] ?? vm.powerState,
      tools: TOOLS[vm.tools] ?? vm.tools,
      autostart:
        position === undefined
          ? 'no'
          : enabled
            ? `yes, order ${position}`
            : `order ${position} (autostart off on the host)`,
    };
  });
}

export function nicRows(facts: NonNullable<HostDto['facts']>): Array<{ name: string; mac: string; link: string }> {
  return ((facts.nics ?? []) as unknown as NicFact[]).map((n) => ({
    name: n.name,
    mac: n.macAddress,
    link: `${n.linkStatus}${n.speedMbps === null ? '' : `, ${n.speedMbps} Mb/s`}`,
  }));
}

export interface UserVarRow {
  name: string;
  actual: string;
  desired: string;
  inSync: boolean;
  reason: string;
}

const shown = (v: unknown): string =>
  v === null || v === undefined ? '–' : typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);

/** Every UserVar either side knows, desired order first; the password only as set/unset. */
export function userVarRows(facts: HostDto['facts'], desired: DesiredConfigDto | null): UserVarRow[] {
  const actual = (facts?.nutUserVars ?? {}) as Record<string, UserVarFact>;
  const wanted = desired?.ok === true ? (desired.userVars ?? {}) : {};
  const reasons = desired?.ok === true ? (desired.reasons ?? {}) : {};
  const names = [...new Set([...Object.keys(wanted), ...Object.keys(actual)])];
  return names.map((name) => {
    const fact = actual[name];
    const isSecret = fact?.type === 'secret' || name === 'NutPassword';
    const actualText =
      fact === undefined ? 'not read' : fact.type === 'secret' ? (fact.set ? 'set' : 'not set') : shown(fact.value);
    const desiredText = !(name in wanted) ? '–' : isSecret ? 'set' : shown(wanted[name]);
    return {
      name,
      actual: actualText,
      desired: desiredText,
      inSync: name in wanted && actualText === desiredText,
      reason: shown(reasons[name] ?? ''),
    };
  });
}
