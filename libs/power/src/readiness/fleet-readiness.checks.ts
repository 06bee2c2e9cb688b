import { type EpochMs, formatInstant, formatSeconds } from '../time';
import { type ReadinessCheckCode, type ReadinessCheckResult } from './fleet-readiness.types';

/*
 * One pure function per check: observations in, a ReadinessCheckResult out. The worker and the
 * orchestrator gather the observations (SSH, NUT, the database); the judgement lives here so
 * it is the same everywhere and tested without a host.
 */

const result = (code: ReadinessCheckCode, ok: boolean, message: string, at: EpochMs): ReadinessCheckResult => ({
  code,
  ok,
  message,
  checkedAt: at,
});

/** How a connection to the host went, as the worker classifies its typed errors. */
export type SshAccessOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'auth-refused' | 'host-key-changed' | 'not-trusted' | 'unreachable'; readonly detail: string };

const SSH_FAILURE_TEXT: Record<Exclude<SshAccessOutcome['kind'], 'ok'>, string> = {
  'auth-refused': 'the stored credentials were refused',
  'host-key-changed': 'the host presented another key than the pinned one',
  'not-trusted': 'the host key is not trusted',
  unreachable: 'the host could not be reached over SSH',
};

export function sshAuthCheck(outcome: SshAccessOutcome, at: EpochMs): ReadinessCheckResult {
  if (outcome.kind === 'ok')
    return result('SSH_AUTH', true, 'SSH session with the pinned key and stored credentials', at);
  return result('SSH_AUTH', false, `${SSH_FAILURE_TEXT[outcome.kind]}: ${outcome.detail}`, at);
}

/** `esxcli system version get`: its version, or why it gave none. */
export function esxiAnswersCheck(
  answer: { readonly version: string; readonly build: string } | { readonly error: string },
  at: EpochMs,
): ReadinessCheckResult {
  if ('error' in answer) return result('ESXI_ANSWERS', false, `esxcli system version get failed: ${answer.error}`, at);
  return result('ESXI_ANSWERS', true, `ESXi ${answer.version} build ${answer.build}`, at);
}

export interface VibObservation {
  /** The NutClient VIB's version, null when it is not installed. */
  readonly installedVersion: string | null;
  /** Whether the upsmon service of the VIB is running; null when it could not be read. */
  readonly running: boolean | null;
  /** `UserVars.Nut*` as read on the host (name → value). */
  readonly actual: Readonly<Record<string, string | number>>;
  /** As the orchestrator computes them for this host. */
  readonly desired: Readonly<Record<string, string | number>>;
}

/** Setting names never quoted with their value: the password is one of them. */
const SECRET_SETTING = /pass|secret|key/i;

export function vibInSyncCheck(vib: VibObservation, at: EpochMs): ReadinessCheckResult {
  if (vib.installedVersion === null) return result('VIB_IN_SYNC', false, 'the NutClient VIB is not installed', at);
  const drift = Object.keys(vib.desired)
    .sort()
    .filter((name) => String(vib.actual[name] ?? '') !== String(vib.desired[name]))
    .map((name) =>
      SECRET_SETTING.test(name)
        ? `${name} differs`
        : `${name} is ${JSON.stringify(String(vib.actual[name] ?? ''))}, wanted ${JSON.stringify(String(vib.desired[name]))}`,
    );
  const problems = [
    ...(vib.running === false ? ['the upsmon service is not running'] : []),
    ...(vib.running === null ? ['the upsmon service state could not be read'] : []),
    ...drift,
  ];
  if (problems.length > 0)
    return result('VIB_IN_SYNC', false, `NutClient ${vib.installedVersion}: ${problems.join('; ')}`, at);
  return result('VIB_IN_SYNC', true, `NutClient ${vib.installedVersion} running, settings as desired`, at);
}

/** `/opt/nut/bin/upsc ups@server` run on the host, one per UPS the host's client watches. */
export interface HostUpscObservation {
  readonly ups: string;
  /** `ups.status` it printed, or null with `error` when it failed. */
  readonly status: string | null;
  readonly error?: string;
}

export function hostUpscCheck(observations: readonly HostUpscObservation[], at: EpochMs): ReadinessCheckResult {
  if (observations.length === 0)
    return result('HOST_UPSC', false, 'no UPS is configured for the host client: the fallback would watch nothing', at);
  const failed = observations.filter((o) => o.status === null);
  if (failed.length > 0)
    return result(
      'HOST_UPSC',
      false,
      `the host client cannot read ${failed.map((o) => `${o.ups} (${o.error ?? 'no status'})`).join(', ')}`,
      at,
    );
  return result('HOST_UPSC', true, observations.map((o) => `${o.ups}: ${o.status ?? ''}`).join(', '), at);
}

export interface VmToolsObservation {
  readonly name: string;
  /** Whether the plan will ask this VM's guest to shut down (powered on, action guest-shutdown). */
  readonly needsGuestShutdown: boolean;
  readonly toolsState: 'running' | 'not-running' | 'not-installed' | 'unknown';
}

export function vmToolsCheck(vms: readonly VmToolsObservation[], at: EpochMs): ReadinessCheckResult {
  const needing = vms.filter((vm) => vm.needsGuestShutdown);
  const bad = needing.filter((vm) => vm.toolsState !== 'running');
  if (bad.length > 0)
    return result(
      'VM_TOOLS',
      false,
      `VMware Tools not running in ${bad.map((vm) => `${vm.name} (${vm.toolsState})`).join(', ')}: their guest shutdown would time out and escalate`,
      at,
    );
  if (needing.length === 0) return result('VM_TOOLS', true, 'no VM needs a guest shutdown', at);
  return result('VM_TOOLS', true, `Tools running in the ${needing.length} VM(s) that need a guest shutdown`, at);
}

export interface AutostartObservation {
  readonly enabled: boolean;
  /** VM ids in the autostart sequence with a power-on start action. */
  readonly sequenceVmIds: readonly number[];
  /** VM ids the host lists. */
  readonly existingVmIds: readonly number[];
  /** Whether the restart plan powers VMs on itself (otherwise it leaves that to ESXi autostart). */
  readonly planPowersOnVms: boolean;
}

/**
 * Sane for the plan: the shutdown order is derived from the autostart sequence, so every VM it
 * names must exist; and when the restart plan leaves power-on to the host, autostart must be on.
 */
export function autostartCheck(autostart: AutostartObservation, at: EpochMs): ReadinessCheckResult {
  const existing = new Set(autostart.existingVmIds);
  const missing = autostart.sequenceVmIds.filter((id) => !existing.has(id));
  const problems = [
    ...(missing.length > 0
      ? [`the autostart sequence names VMs that no longer exist (ids ${missing.join(', ')})`]
      : []),
    ...(!autostart.enabled && !autostart.planPowersOnVms && autostart.sequenceVmIds.length > 0
      ? [
          `autostart is disabled, so the ${autostart.sequenceVmIds.length} VM(s) of its sequence would stay off after the restart`,
        ]
      : []),
  ];
  if (problems.length > 0) return result('AUTOSTART', false, problems.join('; '), at);
  return result(
    'AUTOSTART',
    true,
    `autostart ${autostart.enabled ? 'enabled' : 'disabled'}, ${autostart.sequenceVmIds.length} VM(s) in its sequence`,
    at,
  );
}

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

export function wolMacCheck(macs: readonly string[], at: EpochMs): ReadinessCheckResult {
  const valid = macs.filter((mac) => MAC.test(mac));
  if (valid.length === 0)
    return result('WOL_MAC', false, 'no MAC address is known: Wake-on-LAN cannot bring this host back', at);
  return result('WOL_MAC', true, `Wake-on-LAN to ${valid.join(', ')}`, at);
}

/**
 * `lastWokenAt`: the end of the last restart or drill whose wake step brought this host back
 * (verified over SSH). Older than `maxAgeSeconds`, the NIC or BIOS may have changed since.
 */
export function wolProvenCheck(lastWokenAt: EpochMs | null, maxAgeSeconds: number, at: EpochMs): ReadinessCheckResult {
  if (lastWokenAt === null)
    return result('WOL_PROVEN', false, 'Wake-on-LAN was never proven: no restart or drill has woken this host', at);
  const ageSeconds = Math.max(0, (at - lastWokenAt) / 1000);
  if (ageSeconds > maxAgeSeconds)
    return result(
      'WOL_PROVEN',
      false,
      `Wake-on-LAN last proven at ${formatInstant(lastWokenAt)}, older than ${formatSeconds(maxAgeSeconds)}: run a drill`,
      at,
    );
  return result('WOL_PROVEN', true, `Wake-on-LAN last proven at ${formatInstant(lastWokenAt)}`, at);
}

export interface RuntimeMarginObservation {
  /** Seconds the plan builder predicts from the start of the plan until this host is off. */
  readonly predictedShutdownSeconds: number;
  /** The battery runtime the host can count on now (its supplies, minSupplies); null = unknown. */
  readonly runtimeSeconds: number | null;
  /** Wanted headroom as a share of the prediction (0.2 = the runtime must be 20 % longer). */
  readonly marginRatio: number;
}

export function runtimeMarginCheck(margin: RuntimeMarginObservation, at: EpochMs): ReadinessCheckResult {
  const needed = Math.ceil(margin.predictedShutdownSeconds * (1 + margin.marginRatio));
  if (margin.runtimeSeconds === null)
    return result(
      'RUNTIME_MARGIN',
      false,
      `battery runtime unknown: the predicted shutdown (${formatSeconds(margin.predictedShutdownSeconds)}) cannot be checked against it`,
      at,
    );
  const text = `predicted shutdown ${formatSeconds(margin.predictedShutdownSeconds)} + ${Math.round(margin.marginRatio * 100)} % margin = ${formatSeconds(needed)} against ${formatSeconds(margin.runtimeSeconds)} of battery runtime`;
  return result('RUNTIME_MARGIN', margin.runtimeSeconds >= needed, text, at);
}

/** One NUT server the host's UPSes sit on, as the orchestrator last checked it. */
export interface NutServerObservation {
  readonly server: string;
  readonly reachable: boolean;
  /** null when the server could not be reached, so the login could not be tried. */
  readonly loginOk: boolean | null;
  /** UPSes on that server (of this host's feeds) whose status holds FSD. */
  readonly fsdUpses: readonly string[];
  readonly error?: string;
}

export function nutLoginCheck(servers: readonly NutServerObservation[], at: EpochMs): ReadinessCheckResult {
  if (servers.length === 0) return result('NUT_LOGIN', false, 'the host is fed by no UPS on a NUT server', at);
  const bad = servers.filter((s) => !s.reachable || s.loginOk !== true);
  if (bad.length > 0)
    return result(
      'NUT_LOGIN',
      false,
      bad
        .map((s) => `${s.server}: ${s.reachable ? 'login refused' : 'unreachable'}${s.error ? ` (${s.error})` : ''}`)
        .join('; '),
      at,
    );
  return result('NUT_LOGIN', true, `logged in to ${servers.map((s) => s.server).join(', ')}`, at);
}

export function fsdClearCheck(servers: readonly NutServerObservation[], at: EpochMs): ReadinessCheckResult {
  const latched = servers.flatMap((s) => s.fsdUpses.map((ups) => `${ups}@${s.server}`));
  if (latched.length > 0)
    return result(
      'FSD_CLEAR',
      false,
      `FSD is latched on ${latched.join(', ')}: upsmon clients will shut down at once`,
      at,
    );
  return result('FSD_CLEAR', true, "no FSD latched on the host's UPSes", at);
}
