import {
  type AdvancedOption,
  type AutoStartDefaults,
  type AutoStartEntry,
  AuthenticationError,
  CommandFailedError,
  EsxcliError,
  type CommandTarget,
  ConnectionError,
  ConnectionLostError,
  ConnectTimeoutError,
  esxcli,
  type EsxiVersion,
  HostKeyMismatchError,
  InvalidTargetError,
  OutputParseError,
  type PhysicalNic,
  UnexpectedOutputError,
  UnknownHostKeyError,
  type VibSummary,
  vim,
  type VmInventory,
  type VmPowerState,
} from '@nutfleet/esxi';
import { type FactReadError, type HostFactRead, type VmToolsStateFact } from '@nutfleet/db';

import { parseVmToolsState } from './vm-tools-state.parser';

/** One read: its value, or why it could not be made. */
export type Reading<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FactReadError };

/** The VM list and, for each VM, its power state and VMware Tools state. */
export interface VmReadings {
  readonly inventory: VmInventory;
  /** By VM id: every listed VM has one. */
  readonly powerStates: ReadonlyMap<number, VmPowerState>;
  /** By VM id. */
  readonly toolsStates: ReadonlyMap<number, VmToolsStateFact>;
}

interface ReadValues {
  readonly esxi: EsxiVersion;
  readonly nics: readonly PhysicalNic[];
  readonly vms: VmReadings;
  readonly autostartDefaults: AutoStartDefaults;
  readonly autostartSequence: readonly AutoStartEntry[];
  readonly nutClient: readonly VibSummary[];
  /** Options under /UserVars (any name; only Nut* are kept). */
  readonly nutUserVars: readonly AdvancedOption[];
  readonly acceptanceLevel: string;
  readonly maintenanceMode: boolean;
}

/** Everything discovery read from one host, one reading per fact (libs/db's HOST_FACT_READS). */
export type HostReadings = { readonly [K in HostFactRead]: Reading<ReadValues[K]> };

/**
 * Reads every fact of one host, each on its own: a command that fails (unknown to this ESXi
 * build, a fault, output that cannot be read, a timeout) fails its fact only, with the typed
 * libs/esxi error that names it, and the others are still read. Only a failure of the session
 * itself (connection lost or refused, host key, authentication) fails the discovery as a whole,
 * for the job to retry. Commands run concurrently: the SSH connection bounds them to its channel
 * limit (ESXi's sshd allows about 10 per connection).
 */
export function collectHostReadings(host: CommandTarget): Promise<HostReadings> {
  return allOf({
    esxi: read(() => esxcli.systemVersionGet(host)),
    nics: read(() => esxcli.nicList(host)),
    vms: read(() => readVms(host)),
    autostartDefaults: read(() => vim.autostartDefaults(host)),
    autostartSequence: read(() => vim.autostartSequence(host)),
    nutClient: read(() => esxcli.vibList(host)),
    nutUserVars: read(() => esxcli.advancedListTree(host, '/UserVars'), userVarsReadError),
    acceptanceLevel: read(() => esxcli.acceptanceGet(host)),
    maintenanceMode: read(() => esxcli.maintenanceModeGet(host)),
  });
}

/** Awaits every promise of a record together, keeping its keys. */
async function allOf<T extends Record<string, Promise<unknown>>>(
  promises: T,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.all(Object.entries(promises).map(async ([key, p]) => [key, await p] as const));
  return Object.fromEntries(settled) as { [K in keyof T]: Awaited<T[K]> };
}

/** Errors that mean the session is gone or refused: no later command can succeed either. */
function endsTheSession(error: unknown): boolean {
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

async function read<T>(
  work: () => Promise<T>,
  describe: (error: unknown) => FactReadError = factReadError,
): Promise<Reading<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (endsTheSession(error)) throw error;
    return { ok: false, error: describe(error) };
  }
}

/**
 * `{ code, message }` of a failed read: the error's class — or, for output that could not be
 * read, the parser's (e.g. VmListParseError) — and its message, which names host and command.
 */
export function factReadError(error: unknown): FactReadError {
  if (error instanceof VmReadError) return error.fact;
  if (error instanceof UnexpectedOutputError && error.cause instanceof OutputParseError)
    return { code: error.cause.name, message: error.message };
  if (error instanceof Error) return { code: error.name, message: error.message };
  return { code: 'Error', message: String(error) };
}

/**
 * The UserVars listing holds the NUT password: a parse error could quote a line of it, so only
 * the command and the kind of failure are kept.
 */
function userVarsReadError(error: unknown): FactReadError {
  const fact = factReadError(error);
  if (!(error instanceof UnexpectedOutputError || error instanceof CommandFailedError || error instanceof EsxcliError))
    return fact;
  return {
    code: fact.code,
    message: `${error.name} from ${error.host} for ${error.command ?? 'the UserVars listing'} (details not kept: the output holds the NUT password)`,
  };
}

/** A VM the list names whose state could not be read: the list cannot be trusted as a whole. */
class VmReadError extends Error {
  public override readonly name = 'VmReadError';
  public constructor(public readonly fact: FactReadError) {
    super(fact.message);
  }
}

/**
 * `vim-cmd vmsvc/getallvms`, then `power.getstate` of each VM; a VM whose power state cannot be
 * read fails the whole VM fact (a list with a VM of unknown state would be planned as if it were
 * known). VMware Tools state, which some builds cannot report, is `unknown` instead.
 */
async function readVms(host: CommandTarget): Promise<VmReadings> {
  const inventory = await vim.getAllVms(host);
  const [powerStates, toolsStates] = await Promise.all([
    Promise.all(
      inventory.vms.map(async (vm) => {
        try {
          return [vm.id, await vim.powerGetState(host, vm.id)] as const;
        } catch (error) {
          if (endsTheSession(error)) throw error;
          const cause = factReadError(error);
          throw new VmReadError({
            code: cause.code,
            message: `VM ${vm.id} (${JSON.stringify(vm.name)}) is listed by vim-cmd vmsvc/getallvms but its power state could not be read: ${cause.message}`,
          });
        }
      }),
    ),
    Promise.all(inventory.vms.map(async (vm) => [vm.id, await toolsState(host, vm.id)] as const)),
  ]);
  return { inventory, powerStates: new Map(powerStates), toolsStates: new Map(toolsStates) };
}

/** `vim-cmd vmsvc/get.guest VMID`; a fault or an unknown command means the host cannot say. */
async function toolsState(host: CommandTarget, vmId: number): Promise<VmToolsStateFact> {
  const result = await host.exec(['vim-cmd', 'vmsvc/get.guest', String(vmId)]);
  if (result.code !== 0 || /\(vim\.fault\.|\(vmodl\.fault\./.test(result.stdout)) return 'unknown';
  return parseVmToolsState(result.stdout);
}
