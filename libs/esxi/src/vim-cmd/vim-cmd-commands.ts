import { assertSuccess, type CommandTarget, parseResult } from '../command-runner';
import { InvalidArgumentError, VimFaultError } from '../esxi-errors';
import { type CommandResult } from '../ssh/esxi-host';
import { type ExecOptions } from '../ssh/ssh-connection';
import {
  type AutoStartDefaults,
  type AutoStartEntry,
  parseAutoStartDefaults,
  parseAutoStartSequence,
} from './vim-cmd-autostart.parser';
import { parseVimFault } from './vim-cmd-fault.parser';
import { parseGetAllVms, type VmInventory } from './vim-cmd-getallvms.parser';
import { parseVmPowerState, type VmPowerState } from './vim-cmd-power-state.parser';

export async function getAllVms(host: CommandTarget, options?: ExecOptions): Promise<VmInventory> {
  return parseResult(host, await runVimCmd(host, ['vmsvc/getallvms'], options), parseGetAllVms);
}

export async function powerGetState(host: CommandTarget, vmId: number, options?: ExecOptions): Promise<VmPowerState> {
  return parseResult(
    host,
    await runVimCmd(host, ['vmsvc/power.getstate', vmIdArg(host, vmId)], options),
    parseVmPowerState,
  );
}

/** Guest OS shutdown through VMware Tools; returns at once, the VM stops later. */
export async function powerShutdown(host: CommandTarget, vmId: number, options?: ExecOptions): Promise<void> {
  await runVimCmd(host, ['vmsvc/power.shutdown', vmIdArg(host, vmId)], options);
}

/** Hard power off. */
export async function powerOff(host: CommandTarget, vmId: number, options?: ExecOptions): Promise<void> {
  await runVimCmd(host, ['vmsvc/power.off', vmIdArg(host, vmId)], options);
}

export async function powerOn(host: CommandTarget, vmId: number, options?: ExecOptions): Promise<void> {
  await runVimCmd(host, ['vmsvc/power.on', vmIdArg(host, vmId)], options);
}

export async function powerSuspend(host: CommandTarget, vmId: number, options?: ExecOptions): Promise<void> {
  await runVimCmd(host, ['vmsvc/power.suspend', vmIdArg(host, vmId)], options);
}

/** The host's autostart order, sorted by `startOrder` (stop order is the reverse). */
export async function autostartSequence(host: CommandTarget, options?: ExecOptions): Promise<AutoStartEntry[]> {
  return parseResult(
    host,
    await runVimCmd(host, ['hostsvc/autostartmanager/get_autostartseq'], options),
    parseAutoStartSequence,
  );
}

export async function autostartDefaults(host: CommandTarget, options?: ExecOptions): Promise<AutoStartDefaults> {
  return parseResult(
    host,
    await runVimCmd(host, ['hostsvc/autostartmanager/get_defaults'], options),
    parseAutoStartDefaults,
  );
}

/** `vim-cmd args...`; a fault dump (even with exit code 0) becomes `VimFaultError`. */
async function runVimCmd(host: CommandTarget, args: readonly string[], options?: ExecOptions): Promise<CommandResult> {
  const result = await host.exec(['vim-cmd', ...args], options);
  const fault = parseVimFault(`${result.stdout}\n${result.stderr}`);
  if (fault) throw new VimFaultError(fault.fault, fault.message, { host: host.label, command: result.command });
  return assertSuccess(host, result);
}

function vmIdArg(host: CommandTarget, vmId: number): string {
  if (!Number.isSafeInteger(vmId) || vmId < 0)
    throw new InvalidArgumentError(`VM id must be a non-negative integer, got ${vmId}`, { host: host.label });
  return String(vmId);
}
