import { type ScriptedReply, scriptedCommand } from '@nutfleet/testing';

/**
 * esxcli and vim-cmd scripts answering discovery's commands in the formats ESXi 8.0 prints
 * ("Key: Value" records, CSV where nutfleet asks for it, vimsh object dumps), for a real OpenSSH sshd.
 */
export interface ScriptedEsxiOptions {
  readonly vms: ReadonlyArray<{ readonly id: number; readonly name: string; readonly folder: string }>;
  /** Exact vim-cmd argument lines answered with "Unknown command" instead. */
  readonly unknownVimCommands?: readonly string[];
  readonly nutPassword: string;
}

export const SCRIPTED_MACS = ['00:50:56:aa:bb:01', '00:50:56:aa:bb:02'] as const;

const pad = (text: string, width: number): string => text.padEnd(width);

export function scriptedEsxiCommands(options: ScriptedEsxiOptions): Record<string, string> {
  const esxcli: Record<string, ScriptedReply> = {
    'system version get': {
      stdout:
        '   Product: VMware ESXi\n   Version: 8.0.3\n   Build: Releasebuild-24022510\n   Update: 3\n   Patch: 24\n',
    },
    // nutfleet asks for CSV: esxcli then sorts the fields by name, spaces dropped, each cell followed by a comma.
    '--formatter=csv network nic list': {
      stdout: [
        'AdminStatus,Description,Driver,Duplex,LinkStatus,MACAddress,MTU,Name,PCIDevice,Speed,',
        `Up,Intel Corporation I350 Gigabit Network Connection,igbn,Full,Up,${SCRIPTED_MACS[0]},1500,vmnic0,0000:05:00.0,1000,`,
        `Up,Intel Corporation I350 Gigabit Network Connection,igbn,Half,Down,${SCRIPTED_MACS[1]},1500,vmnic1,0000:05:00.1,0,`,
        '',
      ].join('\n'),
    },
    '--formatter=csv software vib list': {
      stdout: [
        'AcceptanceLevel,ID,InstallDate,Name,Platforms,Status,Vendor,Version,',
        'VMwareCertified,VMware_bootbank_esx-base_8.0.3-0.35.24022510,2026-05-02,esx-base,host,,VMware,8.0.3-0.35.24022510,',
        'CommunitySupported,Margar_bootbank_upsmon_2.8.5-2.7.3,2026-05-21,upsmon,host,,Margar,2.8.5-2.7.3,',
        '',
      ].join('\n'),
    },
    'system settings advanced list -t /UserVars': {
      stdout: [
        advancedOption('/UserVars/NutUpsName', 'string', { string: 'ups1@nut1.lan', default: 'upsname@nutserver' }),
        advancedOption('/UserVars/NutPassword', 'string', { string: options.nutPassword, default: 'upspassword' }),
        advancedOption('/UserVars/NutFinalDelay', 'integer', { int: 460, default: 5 }),
        advancedOption('/UserVars/SuppressShellWarning', 'integer', { int: 1, default: 0 }),
      ].join('\n'),
    },
    'software acceptance get': { stdout: 'CommunitySupported\n' },
    'system maintenanceMode get': { stdout: 'Disabled\n' },
  };
  const rows = options.vms.map(
    (vm) =>
      `${pad(String(vm.id), 7)}${pad(vm.name, 28)}${pad(`[datastore1] ${vm.folder}/${vm.folder}.vmx`, 44)}${pad('debian11_64Guest', 18)}vmx-19`,
  );
  const vim: Record<string, ScriptedReply> = {
    'vmsvc/getallvms': {
      stdout: [
        'Vmid       Name                File                                     Guest OS          Version   Annotation',
        ...rows,
        '',
      ].join('\n'),
    },
    'hostsvc/autostartmanager/get_autostartseq': {
      stdout: [
        '(vim.host.AutoStartManager.AutoPowerInfo) [',
        '   (vim.host.AutoStartManager.AutoPowerInfo) {',
        `      key = 'vim.VirtualMachine:${options.vms[0]?.id ?? 1}',`,
        '      startOrder = 1,',
        '      startDelay = -1,',
        '      waitForHeartbeat = "systemDefault",',
        '      startAction = "powerOn",',
        '      stopDelay = -1,',
        '      stopAction = "systemDefault"',
        '   }',
        ']',
        '',
      ].join('\n'),
    },
    'hostsvc/autostartmanager/get_defaults': {
      stdout: [
        '(vim.host.AutoStartManager.SystemDefaults) {',
        '   enabled = true,',
        '   startDelay = 120,',
        '   stopDelay = 120,',
        '   waitForHeartbeat = false,',
        '   stopAction = "PowerOff",',
        '}',
        '',
      ].join('\n'),
    },
  };
  for (const vm of options.vms) {
    vim[`vmsvc/power.getstate ${vm.id}`] = { stdout: 'Retrieved runtime info\nPowered on\n' };
    vim[`vmsvc/get.guest ${vm.id}`] = {
      stdout: '(vim.vm.GuestInfo) {\n   toolsStatus = "toolsOk",\n   toolsRunningStatus = "guestToolsRunning",\n}\n',
    };
  }
  for (const command of options.unknownVimCommands ?? [])
    vim[command] = { stdout: `Unknown command: '${command}'\n`, code: 1 };
  return {
    esxcli: scriptedCommand(esxcli, { stderr: 'Error: Unknown command or namespace $*\n', code: 2 }),
    'vim-cmd': scriptedCommand(vim, { stdout: "Unknown command: '$1'\n", code: 1 }),
  };
}

function advancedOption(
  path: string,
  type: 'integer' | 'string',
  value: { readonly int?: number; readonly string?: string; readonly default: number | string },
): string {
  const int = type === 'integer';
  return [
    `   Path: ${path}`,
    `   Type: ${type}`,
    `   Int Value: ${int ? String(value.int) : '0'}`,
    `   Default Int Value: ${int ? String(value.default) : '0'}`,
    `   Min Value: 0`,
    `   Max Value: ${int ? '3600' : '0'}`,
    `   String Value: ${int ? '' : (value.string ?? '')}`,
    `   Default String Value: ${int ? '' : String(value.default)}`,
    '   Valid Characters: ',
    `   Description: ${path.split('/').pop() ?? ''}`,
    '',
  ].join('\n');
}
