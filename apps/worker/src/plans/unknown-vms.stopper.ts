import {
  type CommandTarget,
  ConnectionError,
  ConnectionLostError,
  ConnectTimeoutError,
  vim,
  VimFaultError,
} from '@nutfleet/esxi';
import { errorText } from '@nutfleet/runtime';

import { sleep } from './step-outcome';

/** How the running VMs of a host whose VM list was unknown were stopped before its poweroff. */
export type UnknownVmsOutcome =
  | { readonly kind: 'stopped'; readonly note: string }
  /** The list could not be read now either: the host's poweroff relies on ESXi's own autostop. */
  | { readonly kind: 'unreadable'; readonly error: string };

export interface UnknownVmsTiming {
  /** Longest wait for guest shutdowns before the VMs still running are powered off. */
  readonly guestBudgetMs: number;
  readonly pollMs: number;
}

/**
 * The plan was made without this host's VMs (its VM list could not be read): rather than a bare
 * `poweroff`, read the list now (`vim-cmd vmsvc/getallvms` and each VM's power state), ask every
 * running VM's guest to shut down (a VM without Tools is powered off), wait up to the budget, then
 * power off those still running. Connection errors go up (the step is retried); any other failure
 * to read the list is returned, for the caller to report and proceed.
 */
export async function stopVmsOfUnknownList(
  host: CommandTarget,
  hostName: string,
  timing: UnknownVmsTiming,
): Promise<UnknownVmsOutcome> {
  let vms: ReadonlyArray<{ id: number; name: string }>;
  const running: Array<{ id: number; name: string }> = [];
  try {
    vms = (await vim.getAllVms(host, { timeoutMs: 15_000 })).vms;
    for (const vm of vms) if ((await vim.powerGetState(host, vm.id)) === 'poweredOn') running.push(vm);
  } catch (error) {
    if (isConnectionError(error)) throw error;
    return { kind: 'unreadable', error: errorText(error) };
  }
  if (running.length === 0) return { kind: 'stopped', note: `VM list read again: ${vms.length} VM(s), none running` };

  const log: string[] = [];
  const waiting: Array<{ id: number; name: string }> = [];
  for (const vm of running) {
    try {
      await vim.powerShutdown(host, vm.id);
      waiting.push(vm);
    } catch (error) {
      if (!(error instanceof VimFaultError)) throw error;
      await powerOff(host, vm, log, `guest shutdown refused (${error.message})`);
    }
  }
  const until = Date.now() + timing.guestBudgetMs;
  let left = waiting;
  while (left.length > 0 && Date.now() < until) {
    await sleep(Math.min(timing.pollMs, Math.max(0, until - Date.now())));
    const still: typeof left = [];
    for (const vm of left) {
      if ((await vim.powerGetState(host, vm.id)) === 'poweredOn') still.push(vm);
      else log.push(`${vm.name}: guest shut down`);
    }
    left = still;
  }
  for (const vm of left)
    await powerOff(host, vm, log, `guest not down within ${Math.round(timing.guestBudgetMs / 1000)} s`);
  return {
    kind: 'stopped',
    note: `VM list read again: ${vms.length} VM(s), ${running.length} running, stopped before poweroff (${log.join('; ')})`,
  };
}

async function powerOff(host: CommandTarget, vm: { id: number; name: string }, log: string[], why: string) {
  try {
    await vim.powerOff(host, vm.id);
    log.push(`${vm.name}: ${why}, powered off`);
  } catch (error) {
    if (!(error instanceof VimFaultError)) throw error;
    // Already off, or it will go down with the host's poweroff (autostop).
    log.push(`${vm.name}: ${why}, power off refused (${error.message})`);
  }
}

function isConnectionError(error: unknown): boolean {
  return (
    error instanceof ConnectionError || error instanceof ConnectTimeoutError || error instanceof ConnectionLostError
  );
}
