import { type VmToolsStateFact } from '@nutfleet/db';

/**
 * VMware Tools state from `vim-cmd vmsvc/get.guest VMID` (a `vim.vm.GuestInfo` dump).
 * `toolsStatus = "toolsNotInstalled"` wins; then `toolsRunningStatus`
 * (guestToolsRunning / guestToolsExecutingScripts / guestToolsNotRunning); then the older
 * `toolsStatus` values (toolsOk, toolsOld, toolsNotRunning). Anything else is `unknown`.
 * Fields are read by regex: the rest of the dump (NICs, disks, stacks) varies by build.
 */
export function parseVmToolsState(text: string): VmToolsStateFact {
  const status = field(text, 'toolsStatus');
  const running = field(text, 'toolsRunningStatus');
  if (status === 'toolsnotinstalled') return 'notInstalled';
  if (running === 'guesttoolsrunning' || running === 'guesttoolsexecutingscripts') return 'running';
  if (running === 'guesttoolsnotrunning') return 'notRunning';
  if (status === 'toolsok' || status === 'toolsold') return 'running';
  if (status === 'toolsnotrunning') return 'notRunning';
  return 'unknown';
}

function field(text: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(text)?.[1]?.toLowerCase();
}
