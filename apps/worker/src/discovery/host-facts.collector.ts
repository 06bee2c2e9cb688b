import {
  type AdvancedOption,
  CommandFailedError,
  type CommandTarget,
  esxcli,
  OutputParseError,
  parseAdvancedOptions,
  UnexpectedOutputError,
  vim,
  type VmPowerState,
} from '@nutfleet/esxi';
import { type VmToolsStateFact } from '@nutfleet/db';

import { type HostReadings } from './host-facts.mapper';
import { parseVmToolsState } from './vm-tools-state.parser';

/**
 * Reads everything discovery records from one host. Commands run concurrently: the SSH
 * connection bounds them to its channel limit (ESXi's sshd allows about 10 per connection).
 * Any failing command fails the discovery with the typed libs/esxi error that names it,
 * except VMware Tools state, which some builds cannot report (then `unknown`).
 */
export async function collectHostReadings(host: CommandTarget): Promise<HostReadings> {
  const [version, nics, vms, autostartDefaults, autostartSequence, vibs, userVars, acceptanceLevel, maintenanceMode] =
    await Promise.all([
      esxcli.systemVersionGet(host),
      esxcli.nicList(host),
      vim.getAllVms(host),
      vim.autostartDefaults(host),
      vim.autostartSequence(host),
      esxcli.vibList(host),
      listUserVars(host),
      esxcli.acceptanceGet(host),
      esxcli.maintenanceModeGet(host),
    ]);
  const ids = vms.vms.map((vm) => vm.id);
  const [powerStates, toolsStates] = await Promise.all([
    Promise.all(ids.map(async (id) => [id, await vim.powerGetState(host, id)] as const)),
    Promise.all(ids.map(async (id) => [id, await toolsState(host, id)] as const)),
  ]);
  return {
    version,
    nics,
    vms,
    powerStates: new Map<number, VmPowerState>(powerStates),
    toolsStates: new Map<number, VmToolsStateFact>(toolsStates),
    autostartDefaults,
    autostartSequence,
    vibs,
    userVars,
    acceptanceLevel,
    maintenanceMode,
  };
}

/**
 * `esxcli system settings advanced list -t /UserVars`: only the UserVars tree (the full list
 * has over a thousand options and takes seconds on a real host).
 */
async function listUserVars(host: CommandTarget): Promise<AdvancedOption[]> {
  const result = await host.exec(['esxcli', 'system', 'settings', 'advanced', 'list', '-t', '/UserVars']);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split(/\r?\n/)[0] ?? '';
    throw new CommandFailedError(
      result.code,
      result.stdout,
      result.stderr,
      { host: host.label, command: result.command },
      detail,
    );
  }
  try {
    return parseAdvancedOptions(result.stdout);
  } catch (error) {
    if (error instanceof OutputParseError)
      throw new UnexpectedOutputError(result.stdout, { host: host.label, command: result.command, cause: error });
    throw error;
  }
}

/** `vim-cmd vmsvc/get.guest VMID`; a fault or an unknown command means the host cannot say. */
async function toolsState(host: CommandTarget, vmId: number): Promise<VmToolsStateFact> {
  const result = await host.exec(['vim-cmd', 'vmsvc/get.guest', String(vmId)]);
  if (result.code !== 0 || /\(vim\.fault\.|\(vmodl\.fault\./.test(result.stdout)) return 'unknown';
  return parseVmToolsState(result.stdout);
}
