/**
 * `vim-cmd vmsvc/…` and `vim-cmd hostsvc/autostartmanager/…`, printed in vimsh's object-dump
 * format, with the per-version quirks (capitalised actions on 6.7, trailing spaces on 7.0).
 */
import { fail, ok, type CommandContext, type CommandResult } from './command-result';
import type { HostState } from './host-state';
import {
  capitalise,
  parseStartAction,
  parseStopAction,
  type AutostartEntry,
  type SimulatedVm,
  vmFile,
} from './virtual-machine';

function dump(
  state: HostState,
  type: string,
  fields: Array<[string, string]>,
  indent = '',
  trailingCommaOnLast = false,
): string {
  const sep = state.esxi.trailingSpaceAfterComma ? ', ' : ',';
  const body = fields.map(
    ([k, v], i) => `${indent}   ${k} = ${v}${i < fields.length - 1 || trailingCommaOnLast ? sep : ''}`,
  );
  return [`${indent}(${type}) {`, ...body, `${indent}}`].join('\n');
}

const q = (s: string): string => `"${s}"`;

function fault(state: HostState, type: string, msg: string, extra: Array<[string, string]> = []): string {
  return `${dump(state, type, [['faultCause', '(vmodl.MethodFault) null'], ['faultMessage', '<unset>'], ...extra, ['msg', q(msg)]])}\n`;
}

function action(state: HostState, a: string): string {
  return state.esxi.capitalisedActions ? capitalise(a) : a;
}

function powerStateName(vm: SimulatedVm): string {
  return vm.power === 'on' ? 'poweredOn' : vm.power === 'off' ? 'poweredOff' : 'suspended';
}

function invalidPowerState(state: HostState, vm: SimulatedVm, requested: string): string {
  const label = vm.power === 'on' ? 'Powered on' : vm.power === 'off' ? 'Powered off' : 'Suspended';
  return fault(
    state,
    'vim.fault.InvalidPowerState',
    `The attempted operation cannot be performed in the current state (${label}).`,
    [
      ['requestedState', q(requested)],
      ['existingState', q(powerStateName(vm))],
    ],
  );
}

function getAllVms(state: HostState): string {
  const rows = state.vms.map((vm) => [String(vm.id), vm.name, vmFile(vm), vm.guestOs, vm.hwVersion, vm.annotation]);
  const headers = ['Vmid', 'Name', 'File', 'Guest OS', 'Version', 'Annotation'];
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (c === 5 ? 0 : (r[c] ?? '').length))));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd((widths[c] ?? 0) + 3)))
      .join('')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

function autostartSeq(state: HostState): string {
  const entries = state.vms
    .filter((vm) => vm.autostart)
    .sort((a, b) => (a.autostart?.startOrder ?? 0) - (b.autostart?.startOrder ?? 0));
  if (entries.length === 0) return '(vim.host.AutoStartManager.AutoPowerInfo) []\n';
  const blocks = entries.map((vm) => {
    const a = vm.autostart as AutostartEntry;
    return dump(
      state,
      'vim.host.AutoStartManager.AutoPowerInfo',
      [
        ['key', `'vim.VirtualMachine:${vm.id}'`],
        ['startOrder', String(a.startOrder)],
        ['startDelay', String(a.startDelay)],
        ['waitForHeartbeat', q(a.waitForHeartbeat)],
        ['startAction', q(action(state, a.startAction))],
        ['stopDelay', String(a.stopDelay)],
        ['stopAction', q(action(state, a.stopAction))],
      ],
      '   ',
    );
  });
  return `(vim.host.AutoStartManager.AutoPowerInfo) [\n${blocks.join(state.esxi.trailingSpaceAfterComma ? ', \n' : ',\n')}\n]\n`;
}

function autostartDefaults(state: HostState): string {
  const d = state.autostartDefaults;
  return `${dump(
    state,
    'vim.host.AutoStartManager.SystemDefaults',
    [
      ['enabled', String(d.enabled)],
      ['startDelay', String(d.startDelay)],
      ['stopDelay', String(d.stopDelay)],
      ['waitForHeartbeat', String(d.waitForHeartbeat)],
      ['stopAction', q(capitalise(d.stopAction))],
    ],
    '',
    true,
  )}\n`;
}

/** `vim-cmd vmsvc/get.guest`: the Tools fields of a vim.vm.GuestInfo dump (the rest elided). */
function guestInfo(vm: SimulatedVm, state: HostState): string {
  const running = vm.tools && vm.toolsStopped !== true && vm.power === 'on';
  const toolsStatus = !vm.tools ? 'toolsNotInstalled' : running ? 'toolsOk' : 'toolsNotRunning';
  return `${dump(state, 'vim.vm.GuestInfo', [
    ['toolsStatus', q(toolsStatus)],
    ['toolsVersionStatus', q(vm.tools ? 'guestToolsCurrent' : 'guestToolsNotInstalled')],
    ['toolsRunningStatus', q(running ? 'guestToolsRunning' : 'guestToolsNotRunning')],
    ['toolsVersion', q(vm.tools ? '12352' : '0')],
    ['guestId', running ? q(vm.guestOs) : '<unset>'],
    ['guestState', q(running ? 'running' : 'notRunning')],
  ])}\n`;
}

function vmPowerCommand(cmd: string, vm: SimulatedVm, state: HostState): CommandResult {
  switch (cmd) {
    case 'get.guest':
      return ok(guestInfo(vm, state));
    case 'power.getstate':
      return ok(
        `Retrieved runtime info\n${vm.power === 'on' ? 'Powered on' : vm.power === 'off' ? 'Powered off' : 'Suspended'}\n`,
      );
    case 'power.shutdown':
      if (vm.power !== 'on') return fail(invalidPowerState(state, vm, 'poweredOn'));
      if (!vm.tools || vm.toolsStopped === true)
        return fail(
          fault(
            state,
            'vim.fault.ToolsUnavailable',
            'Cannot complete operation because VMware Tools is not running in this virtual machine.',
          ),
        );
      state.startGuestShutdown(vm);
      return ok();
    case 'power.off':
      if (vm.power === 'off') return fail(invalidPowerState(state, vm, 'poweredOn'), 1, 'Powering off VM:\n');
      if (vm.neverStops === 'ignores-power-off') {
        return fail(
          fault(
            state,
            'vim.fault.TaskInProgress',
            'The operation is not allowed in the current state because the virtual machine has a task in progress.',
          ),
          1,
          'Powering off VM:\n',
        );
      }
      state.setVmPower(vm, 'off');
      return ok('Powering off VM:\n');
    case 'power.on':
      if (vm.power === 'on') return fail(invalidPowerState(state, vm, 'poweredOff'), 1, 'Powering on VM:\n');
      if (state.maintenanceMode)
        return fail(
          fault(state, 'vim.fault.InvalidState', 'The operation is not allowed in the current state.'),
          1,
          'Powering on VM:\n',
        );
      state.setVmPower(vm, 'on');
      return ok('Powering on VM:\n');
    case 'power.suspend':
      if (vm.power !== 'on') return fail(invalidPowerState(state, vm, 'poweredOn'), 1, 'Suspending VM:\n');
      state.setVmPower(vm, 'suspended');
      return ok('Suspending VM:\n');
    case 'power.reboot':
      if (vm.power !== 'on') return fail(invalidPowerState(state, vm, 'poweredOn'));
      if (!vm.tools)
        return fail(
          fault(
            state,
            'vim.fault.ToolsUnavailable',
            'Cannot complete operation because VMware Tools is not running in this virtual machine.',
          ),
        );
      return ok();
    default:
      return fail(`Unknown command: 'vmsvc/${cmd}'\n`);
  }
}

function updateAutostartEntry(state: HostState, args: string[]): CommandResult {
  const [vmid, startAction, startDelay, startOrder, stopAction, stopDelay, waitForHeartbeat] = args;
  const vm = state.vm(Number(vmid));
  if (!vm) return fail(`Unable to find a VM corresponding to "${vmid ?? ''}"\n`);
  const sa = parseStartAction(startAction ?? '');
  const so = parseStopAction(stopAction ?? '');
  const nums = [startDelay, startOrder, stopDelay].map((n) => Number(n ?? 'x'));
  if (!sa || !so || nums.some((n) => !Number.isInteger(n)))
    return fail(
      'Usage: update_autostartentry VMId StartAction StartDelay StartOrder StopAction StopDelay WaitForHeartbeat\n',
    );
  const wait = (waitForHeartbeat ?? 'systemDefault').toLowerCase();
  vm.autostart = {
    startAction: sa,
    startDelay: nums[0] ?? -1,
    startOrder: nums[1] ?? -1,
    stopAction: so,
    stopDelay: nums[2] ?? -1,
    waitForHeartbeat: wait === 'yes' ? 'yes' : wait === 'no' ? 'no' : 'systemDefault',
  };
  return ok('Updated AutoStart order.\n');
}

export function handleVimCmd(argv: string[], ctx: CommandContext): CommandResult {
  const { state } = ctx;
  const [, command = '', ...args] = argv;
  if (command === 'vmsvc/getallvms') return ok(getAllVms(state));
  const vmsvc = /^vmsvc\/(power\.[a-z]+|get\.guest)$/.exec(command);
  if (vmsvc) {
    const vmid = args[0];
    if (vmid === undefined) return fail(`Insufficient arguments.\nUsage: ${vmsvc[1]} vmid\n`);
    const vm = state.vm(Number(vmid));
    if (!vm || !/^[0-9]+$/.test(vmid)) {
      return fail(
        fault(
          state,
          'vmodl.fault.ManagedObjectNotFound',
          `The object 'vim.VirtualMachine:${vmid}' has already been deleted or has not been completely created`,
          [['obj', `'vim.VirtualMachine:${vmid}'`]],
        ),
      );
    }
    return vmPowerCommand(vmsvc[1] ?? '', vm, state);
  }
  switch (command) {
    case 'hostsvc/autostartmanager/get_autostartseq':
      return ok(autostartSeq(state));
    case 'hostsvc/autostartmanager/get_defaults':
      return ok(autostartDefaults(state));
    case 'hostsvc/autostartmanager/enable_autostart': {
      const v = (args[0] ?? '').toLowerCase();
      if (v !== 'true' && v !== 'false' && v !== '1' && v !== '0') return fail('Usage: enable_autostart true|false\n');
      state.autostartDefaults.enabled = v === 'true' || v === '1';
      return ok(`Override Autostart Configuration: ${state.autostartDefaults.enabled}\n`);
    }
    case 'hostsvc/autostartmanager/update_defaults': {
      const [startDelay, stopDelay, stopAction, wait] = args;
      const action = parseStopAction(stopAction ?? '');
      if (
        !action ||
        action === 'systemDefault' ||
        !/^[0-9]+$/.test(startDelay ?? '') ||
        !/^[0-9]+$/.test(stopDelay ?? '')
      ) {
        return fail('Usage: update_defaults StartDelay StopDelay StopAction WaitForHeartbeat\n');
      }
      state.autostartDefaults = {
        ...state.autostartDefaults,
        startDelay: Number(startDelay),
        stopDelay: Number(stopDelay),
        stopAction: action,
        waitForHeartbeat: (wait ?? '').toLowerCase() === 'true',
      };
      return ok();
    }
    case 'hostsvc/autostartmanager/update_autostartentry':
      return updateAutostartEntry(state, args);
    case 'hostsvc/advopt/update': {
      const [name, , value] = args;
      const path = `/${(name ?? '').replace(/\./g, '/')}`;
      const result = state.settings.setFromText(path, value ?? '');
      return result.ok ? ok() : fail(fault(state, 'vim.fault.InvalidName', `Invalid name: ${name ?? ''}`));
    }
    default:
      return fail(`Unknown command: '${command}'\n`);
  }
}
