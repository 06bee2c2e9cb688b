import {
  AuthenticationError,
  type CommandTarget,
  ConnectionError,
  ConnectionLostError,
  ConnectTimeoutError,
  esxcli,
  HostKeyMismatchError,
  hostServices,
  InvalidTargetError,
  UnknownHostKeyError,
  vim,
} from '@nutfleet/esxi';
import {
  autostartCheck,
  esxiAnswersCheck,
  type EpochMs,
  hostUpscCheck,
  type HostUpscObservation,
  type ReadinessCheckResult,
  vibInSyncCheck,
  vmToolsCheck,
  type VmToolsObservation,
} from '@nutfleet/power';
import { type HostReadinessExpectations } from '@nutfleet/queue';

import { NUT_CLIENT_VIB_NAME } from '../discovery/host-facts.mapper';
import { parseVmToolsState } from '../discovery/vm-tools-state.parser';

/** The NutClient VIB's own upsc: reading through it proves the host-side fallback works. */
export const HOST_UPSC_PATH = '/opt/nut/bin/upsc';

/** What a NutPassword that is set is compared as: its value is never read into a result. */
const PASSWORD_SET = '(set)';

/**
 * The readiness checks that need the host's SSH session, each on its own: a command that fails
 * fails its check with the error's message, the others still run. Session failures (the
 * connection, the key, the credentials) are thrown for the caller to turn into SSH_AUTH.
 */
export async function probeHostReadiness(
  host: CommandTarget,
  expect: HostReadinessExpectations,
  now: () => EpochMs,
): Promise<ReadinessCheckResult[]> {
  const vms = await settle(() => vim.getAllVms(host));
  return Promise.all([
    settle(() => esxcli.systemVersionGet(host)).then((r) =>
      esxiAnswersCheck(r.ok ? { version: r.value.version, build: r.value.build } : { error: r.error }, now()),
    ),
    vibCheck(host, expect, now),
    upscCheck(host, expect.upsTargets, now),
    vms.ok ? toolsCheck(host, vms.value.vms, expect.guestShutdownVms, now) : failed('VM_TOOLS', vms.error, now()),
    vms.ok ? autostart(host, vms.value.vms, expect.planPowersOnVms, now) : failed('AUTOSTART', vms.error, now()),
  ]);
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Runs one read; a session failure is rethrown (it ends every check), anything else is its result. */
async function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isSessionFailure(error)) throw error;
    return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Errors that end the session (as discovery's collector): no later command can succeed either. */
export function isSessionFailure(error: unknown): boolean {
  return (
    error instanceof ConnectionLostError ||
    error instanceof ConnectionError ||
    error instanceof ConnectTimeoutError ||
    error instanceof HostKeyMismatchError ||
    error instanceof UnknownHostKeyError ||
    error instanceof AuthenticationError ||
    error instanceof InvalidTargetError
  );
}

function failed(code: ReadinessCheckResult['code'], error: string, at: EpochMs): ReadinessCheckResult {
  return { code, ok: false, message: `could not be read: ${error}`, checkedAt: at };
}

async function vibCheck(
  host: CommandTarget,
  expect: HostReadinessExpectations,
  now: () => EpochMs,
): Promise<ReadinessCheckResult> {
  const vibs = await settle(() => esxcli.vibList(host));
  if (!vibs.ok) return failed('VIB_IN_SYNC', vibs.error, now());
  const installed = vibs.value.find((v) => v.name === NUT_CLIENT_VIB_NAME)?.version ?? null;
  if (installed === null)
    return vibInSyncCheck({ installedVersion: null, running: null, actual: {}, desired: {} }, now());
  if (expect.desiredUserVars === null)
    return {
      code: 'VIB_IN_SYNC',
      ok: false,
      message: `the desired settings cannot be computed: ${(expect.desiredProblems ?? []).join('; ') || 'unknown reason'}`,
      checkedAt: now(),
    };
  const [status, options] = await Promise.all([
    settle(() => hostServices.upsmonStatus(host)),
    settle(() => esxcli.advancedListTree(host, '/UserVars')),
  ]);
  if (!options.ok) return failed('VIB_IN_SYNC', 'the UserVars listing failed', now());
  const actual: Record<string, string | number> = {};
  for (const option of options.value) {
    const name = option.path.split('/').pop() ?? '';
    if (!name.startsWith('Nut')) continue;
    const value = option.type === 'integer' ? option.intValue : option.stringValue;
    // The password is only known as set or not: its value never leaves this function.
    if (name === 'NutPassword') actual[name] = value !== undefined && value !== '' ? PASSWORD_SET : '';
    else if (value !== undefined) actual[name] = value;
  }
  const desired = { ...expect.desiredUserVars, ...(expect.passwordExpected ? { NutPassword: PASSWORD_SET } : {}) };
  return vibInSyncCheck(
    { installedVersion: installed, running: status.ok ? status.value.running : null, actual, desired },
    now(),
  );
}

async function upscCheck(host: CommandTarget, targets: readonly string[], now: () => EpochMs) {
  const observations = await Promise.all(
    targets.map(async (ups): Promise<HostUpscObservation> => {
      const result = await host.exec([HOST_UPSC_PATH, ups, 'ups.status']);
      const status = result.stdout.trim();
      if (result.code === 0 && status !== '') return { ups, status };
      const error = (result.stderr.trim().split('\n')[0] ?? '') || `exit ${String(result.code)}`;
      return { ups, status: null, error };
    }),
  );
  return hostUpscCheck(observations, now());
}

interface ListedVm {
  readonly id: number;
  readonly name: string;
}

async function toolsCheck(
  host: CommandTarget,
  vms: readonly ListedVm[],
  guestShutdownVms: readonly string[],
  now: () => EpochMs,
): Promise<ReadinessCheckResult> {
  const byName = new Map(vms.map((vm) => [vm.name, vm]));
  const observations = await Promise.all(
    guestShutdownVms.map(async (name): Promise<VmToolsObservation> => {
      const vm = byName.get(name);
      if (vm === undefined) return { name, needsGuestShutdown: true, toolsState: 'unknown' };
      const result = await host.exec(['vim-cmd', 'vmsvc/get.guest', String(vm.id)]);
      const state = result.code === 0 ? parseVmToolsState(result.stdout) : 'unknown';
      const toolsState = state === 'notRunning' ? 'not-running' : state === 'notInstalled' ? 'not-installed' : state;
      return { name, needsGuestShutdown: true, toolsState };
    }),
  );
  return vmToolsCheck(observations, now());
}

async function autostart(
  host: CommandTarget,
  vms: readonly ListedVm[],
  planPowersOnVms: boolean,
  now: () => EpochMs,
): Promise<ReadinessCheckResult> {
  const [defaults, sequence] = await Promise.all([
    settle(() => vim.autostartDefaults(host)),
    settle(() => vim.autostartSequence(host)),
  ]);
  if (!defaults.ok) return failed('AUTOSTART', defaults.error, now());
  if (!sequence.ok) return failed('AUTOSTART', sequence.error, now());
  return autostartCheck(
    {
      enabled: defaults.value.enabled,
      sequenceVmIds: sequence.value.filter((e) => e.startOrder > 0 || e.startAction === 'powerOn').map((e) => e.vmId),
      existingVmIds: vms.map((vm) => vm.id),
      planPowersOnVms,
    },
    now(),
  );
}
