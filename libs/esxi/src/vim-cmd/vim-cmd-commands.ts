import { assertSuccess, type CommandTarget, parseResult } from '../command-runner';
import { InvalidArgumentError, VimCmdUnknownCommandError, VimFaultError } from '../esxi-errors';
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

/**
 * `vim-cmd args...`; a fault dump (even with exit code 0) becomes `VimFaultError`, and "Unknown
 * command" (printed on either stream, whatever the exit code) `VimCmdUnknownCommandError`.
 */
async function runVimCmd(host: CommandTarget, args: readonly string[], options?: ExecOptions): Promise<CommandResult> {
  const result = await host.exec(['vim-cmd', ...args], options);
  const output = `${result.stdout}\n${result.stderr}`;
  const context = { host: host.label, command: result.command };
  const fault = parseVimFault(output);
  if (fault) throw new VimFaultError(fault.fault, fault.message, context);
  if (/^\s*Unknown command\b/im.test(output)) throw new VimCmdUnknownCommandError(args[0] ?? '', context);
  return assertSuccess(host, result);
}

function vmIdArg(host: CommandTarget, vmId: number): string {
  if (!Number.isSafeInteger(vmId) || vmId < 0)
    throw new InvalidArgumentError(`VM id must be a non-negative integer, got ${vmId}`, { host: host.label });
  return String(vmId);
}
