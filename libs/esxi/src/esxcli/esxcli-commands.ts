import { type CommandTarget, parseResult } from '../command-runner';
import { AdvancedOptionNotFoundError, EsxcliError, InvalidArgumentError } from '../esxi-errors';
import { type ExecOptions } from '../ssh/ssh-connection';
import { ACCEPTANCE_LEVELS, type AcceptanceLevel, parseAcceptanceLevel } from './esxcli-acceptance.parser';
import { type AdvancedOption, parseAdvancedOptions } from './esxcli-advanced-settings.parser';
import { parseMaintenanceMode } from './esxcli-maintenance-mode.parser';
import { type PhysicalNic, parseNicList } from './esxcli-nic-list.parser';
import { runEsxcli } from './esxcli-run';
import { type EsxiVersion, parseSystemVersion } from './esxcli-version.parser';
import { parseVibGet, type VibDetails } from './esxcli-vib-get.parser';
import { parseVibList, type VibSummary } from './esxcli-vib-list.parser';
import { parseVibOperationResult, type VibOperationResult } from './esxcli-vib-result.parser';

/*
 * Output formats asked for, per command:
 * - `software vib list`, `network nic list`: `--formatter=csv`. Tables are the only outputs whose
 *   default layout depends on column widths; CSV names each field and quotes cells. The parsers
 *   also read the default aligned table, so a host that ignores the formatter still parses.
 * - everything else: the default output. It is one "Key: Value" record per item (or a single
 *   word), the same on 6.7 to 8.0 (docs/ESXI.md, Outputs nutfleet parses), and error texts such as
 *   "[NoMatchError] ..." come out the same whatever the formatter.
 */

export interface VibInstallOptions extends ExecOptions {
  /** An absolute path (or URL) of a .vib, or of an offline bundle .zip (`depot`). */
  readonly source: { readonly vib: string } | { readonly depot: string; readonly names?: readonly string[] };
  readonly noSigCheck?: boolean;
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

export interface VibRemoveOptions extends ExecOptions {
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

// VIB transactions and maintenance-mode changes take minutes on slow boot media.
const LONG_COMMAND_MS = 15 * 60_000;

export async function systemVersionGet(host: CommandTarget, options?: ExecOptions): Promise<EsxiVersion> {
  return parseResult(host, await runEsxcli(host, ['system', 'version', 'get'], options), parseSystemVersion);
}

export async function vibList(host: CommandTarget, options?: ExecOptions): Promise<VibSummary[]> {
  return parseResult(
    host,
    await runEsxcli(host, ['software', 'vib', 'list'], { ...options, formatter: 'csv' }),
    parseVibList,
  );
}

/** Throws `VibNotFoundError` when no VIB has that name. */
export async function vibGet(host: CommandTarget, name: string, options?: ExecOptions): Promise<VibDetails> {
  return parseResult(host, await runEsxcli(host, ['software', 'vib', 'get', '-n', name], options), parseVibGet);
}

/** Returns undefined instead of throwing when the VIB is not installed. */
export async function vibFind(
  host: CommandTarget,
  name: string,
  options?: ExecOptions,
): Promise<VibSummary | undefined> {
  return (await vibList(host, options)).find((vib) => vib.name === name);
}

export function vibInstall(host: CommandTarget, options: VibInstallOptions): Promise<VibOperationResult> {
  return vibTransaction(host, 'install', options);
}

/** Like install, but only replaces with newer versions. */
export function vibUpdate(host: CommandTarget, options: VibInstallOptions): Promise<VibOperationResult> {
  return vibTransaction(host, 'update', options);
}

/** `name` is a VIB name (`upsmon`) or a full VIB ID. */
export async function vibRemove(
  host: CommandTarget,
  name: string,
  options: VibRemoveOptions = {},
): Promise<VibOperationResult> {
  const args = [
    'software',
    'vib',
    'remove',
    '-n',
    name,
    ...(options.force ? ['-f'] : []),
    ...(options.dryRun ? ['--dry-run'] : []),
  ];
  const result = await runEsxcli(host, args, { timeoutMs: LONG_COMMAND_MS, ...options });
  return parseResult(host, result, parseVibOperationResult);
}

async function vibTransaction(
  host: CommandTarget,
  verb: 'install' | 'update',
  options: VibInstallOptions,
): Promise<VibOperationResult> {
  const source = options.source;
  const path = 'vib' in source ? source.vib : source.depot;
  // esxcli resolves relative paths against its own working directory, not ours.
  if (!/^(\/|https?:\/\/)/.test(path))
    throw new InvalidArgumentError(`VIB path must be absolute or a URL, got ${JSON.stringify(path)}`, {
      host: host.label,
    });
  const args = [
    'software',
    'vib',
    verb,
    ...('vib' in source ? ['-v', source.vib] : ['-d', source.depot, ...(source.names ?? []).flatMap((n) => ['-n', n])]),
    ...(options.noSigCheck ? ['--no-sig-check'] : []),
    ...(options.force ? ['-f'] : []),
    ...(options.dryRun ? ['--dry-run'] : []),
  ];
  return parseResult(
    host,
    await runEsxcli(host, args, { timeoutMs: LONG_COMMAND_MS, ...options }),
    parseVibOperationResult,
  );
}

export async function acceptanceGet(host: CommandTarget, options?: ExecOptions): Promise<AcceptanceLevel> {
  return parseResult(host, await runEsxcli(host, ['software', 'acceptance', 'get'], options), parseAcceptanceLevel);
}

/** Throws `SecureBootError` when Secure Boot forbids the level, `AcceptanceLevelError` when installed VIBs do. */
export async function acceptanceSet(host: CommandTarget, level: AcceptanceLevel, options?: ExecOptions): Promise<void> {
  if (!ACCEPTANCE_LEVELS.includes(level))
    throw new InvalidArgumentError(`unknown acceptance level ${JSON.stringify(level)}`, { host: host.label });
  await runEsxcli(host, ['software', 'acceptance', 'set', `--level=${level}`], options);
}

/** All options under a tree, or one option when `path` names it (`/UserVars/NutFinalDelay`). */
export async function advancedList(
  host: CommandTarget,
  path?: string,
  options?: ExecOptions,
): Promise<AdvancedOption[]> {
  const args = [
    'system',
    'settings',
    'advanced',
    'list',
    ...(path === undefined ? [] : ['-o', checkOptionPath(host, path)]),
  ];
  return parseResult(host, await runEsxcli(host, args, options), parseAdvancedOptions);
}

/**
 * Every option under one tree, e.g. `/UserVars` (`-t`): one command instead of one per option, and
 * not the whole list, which has over a thousand options and takes seconds on a real host.
 */
export async function advancedListTree(
  host: CommandTarget,
  tree: string,
  options?: ExecOptions,
): Promise<AdvancedOption[]> {
  if (!/^\/[A-Za-z0-9_]+$/.test(tree))
    throw new InvalidArgumentError(`advanced option tree must look like /UserVars, got ${JSON.stringify(tree)}`, {
      host: host.label,
    });
  return parseResult(
    host,
    await runEsxcli(host, ['system', 'settings', 'advanced', 'list', '-t', tree], options),
    parseAdvancedOptions,
  );
}

/** One option; throws `AdvancedOptionNotFoundError` when the host does not have it. */
export async function advancedGet(host: CommandTarget, path: string, options?: ExecOptions): Promise<AdvancedOption> {
  const [option] = await advancedList(host, path, options);
  if (option === undefined)
    throw new AdvancedOptionNotFoundError(undefined, `option ${path} was not listed`, 0, { host: host.label });
  return option;
}

/**
 * `esxcli system settings advanced set -o PATH -s VALUE`. With `secret: true` (a password) the
 * value is masked as `***` in every error, result and log line that quotes the command.
 */
export async function advancedSetString(
  host: CommandTarget,
  path: string,
  value: string,
  options: ExecOptions & { readonly secret?: boolean } = {},
): Promise<void> {
  const { secret, ...exec } = options;
  await runEsxcli(host, ['system', 'settings', 'advanced', 'set', '-o', checkOptionPath(host, path), '-s', value], {
    ...exec,
    ...(secret ? { secrets: [...(exec.secrets ?? []), value] } : {}),
  });
}

export async function advancedSetInt(
  host: CommandTarget,
  path: string,
  value: number,
  options?: ExecOptions,
): Promise<void> {
  if (!Number.isSafeInteger(value))
    throw new InvalidArgumentError(`${path} needs an integer, got ${value}`, { host: host.label });
  await runEsxcli(
    host,
    ['system', 'settings', 'advanced', 'set', '-o', checkOptionPath(host, path), '-i', String(value)],
    options,
  );
}

/** Resets an option to its default (`-d`). */
export async function advancedSetDefault(host: CommandTarget, path: string, options?: ExecOptions): Promise<void> {
  await runEsxcli(host, ['system', 'settings', 'advanced', 'set', '-o', checkOptionPath(host, path), '-d'], options);
}

export async function nicList(host: CommandTarget, options?: ExecOptions): Promise<PhysicalNic[]> {
  return parseResult(
    host,
    await runEsxcli(host, ['network', 'nic', 'list'], { ...options, formatter: 'csv' }),
    parseNicList,
  );
}

export async function maintenanceModeGet(host: CommandTarget, options?: ExecOptions): Promise<boolean> {
  return parseResult(host, await runEsxcli(host, ['system', 'maintenanceMode', 'get'], options), parseMaintenanceMode);
}

/**
 * On a standalone host, entering waits until running VMs are off or suspended (bounded by
 * `timeoutSeconds`). Idempotent: asking for the state the host is already in succeeds.
 */
export async function maintenanceModeSet(
  host: CommandTarget,
  enable: boolean,
  options: ExecOptions & { readonly timeoutSeconds?: number } = {},
): Promise<void> {
  const args = ['system', 'maintenanceMode', 'set', '--enable', String(enable)];
  if (options.timeoutSeconds !== undefined)
    args.push('--timeout', String(Math.max(0, Math.floor(options.timeoutSeconds))));
  try {
    await runEsxcli(host, args, { timeoutMs: LONG_COMMAND_MS, ...options });
  } catch (err) {
    // esxcli refuses to set the state the host is already in ("Maintenance mode is already
    // enabled."); the caller asked for a state, and the host is in it.
    const already = new RegExp(`already ${enable ? 'enabled' : 'disabled'}`, 'i');
    if (err instanceof EsxcliError && already.test(err.detail)) return;
    throw err;
  }
}

/** Needs maintenance mode (else `MaintenanceModeRequiredError`); `reason` is mandatory for esxcli. */
export async function shutdownPoweroff(
  host: CommandTarget,
  reason: string,
  options: ExecOptions & { readonly delaySeconds?: number } = {},
): Promise<void> {
  if (reason.trim() === '')
    throw new InvalidArgumentError('esxcli system shutdown poweroff needs a reason', { host: host.label });
  const args = ['system', 'shutdown', 'poweroff', '--reason', reason];
  if (options.delaySeconds !== undefined) args.push('--delay', String(Math.max(0, Math.floor(options.delaySeconds))));
  await runEsxcli(host, args, options);
}

function checkOptionPath(host: CommandTarget, path: string): string {
  if (!/^\/[A-Za-z0-9_]+(\/[A-Za-z0-9_.]+)+$/.test(path)) {
    throw new InvalidArgumentError(
      `advanced option path must look like /UserVars/NutFinalDelay, got ${JSON.stringify(path)}`,
      { host: host.label },
    );
  }
  return path;
}
