/** `esxcli system …` and `esxcli network nic list`. */
import { parseEsxcliBoolean, single } from './esxcli-arguments.parser';
import type { EsxcliCommand, EsxcliReply } from './esxcli-command.types';
import { int, str, type EsxcliStructure } from './esxcli-output.formatter';
import type { AdvancedOptionView } from './advanced-settings';
import type { HostState } from './host-state';

function advancedOption(v: AdvancedOptionView, extra: boolean): EsxcliStructure {
  return {
    typeName: 'SettingsAdvancedOption',
    fields: [
      str('Path', v.path),
      str('Type', v.type),
      int('Int Value', v.intValue),
      int('Default Int Value', v.defaultInt),
      int('Min Value', v.min),
      int('Max Value', v.max),
      str('String Value', v.stringValue),
      str('Default String Value', v.defaultString),
      str('Valid Characters', ''),
      str('Description', v.description),
      ...(extra ? [str('Host Specific', 'false'), str('Impact', 'none')] : []),
    ],
  };
}

const optionName = (path: string): string => path.split('/').filter(Boolean).pop() ?? path;
const notFound = (path: string): EsxcliReply => ({ error: `Unable to find option ${optionName(path)}\n` });

function advancedSet(state: HostState, path: string, kind: 'int' | 'string' | 'default', raw: string): EsxcliReply {
  if (kind === 'int' && !/^-?[0-9]+$/.test(raw))
    return {
      error: `Error: Invalid data constraint for parameter 'int-value'. Expected type long. Got value '${raw}'\n`,
    };
  const result =
    kind === 'default'
      ? state.settings.reset(path)
      : kind === 'int'
        ? state.settings.setInt(path, Number(raw))
        : state.settings.setString(path, raw);
  if (result.ok) return { output: { kind: 'none' } };
  const def = result.definition;
  if (result.reason === 'not-found' || !def) return notFound(path);
  if (result.reason === 'wrong-type') {
    return {
      error: `Unable to set option ${path}: the option is of type ${def.type}, use ${def.type === 'integer' ? '-i|--int-value' : '-s|--string-value'}\n`,
    };
  }
  return { error: `Unable to set option ${path}: value ${raw} is out of range (min ${def.min}, max ${def.max})\n` };
}

/** Waits for running VMs to stop (standalone hosts do not evacuate); 0 = no timeout. */
async function enterMaintenanceMode(state: HostState, timeoutMs: number): Promise<EsxcliReply> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
  for (const vm of state.runningVms()) {
    const left = deadline - Date.now();
    const stopped = await state.waitForVmStop(vm, Number.isFinite(left) ? Math.max(0, left) : 2 ** 31 - 1);
    if (!stopped)
      return {
        error: `Unable to enter maintenance mode: operation timed out, ${state.runningVms().length} powered on virtual machine(s) remain on the host.\n`,
      };
  }
  state.maintenanceMode = true;
  return { output: { kind: 'none' } };
}

export const ESXCLI_SYSTEM_COMMANDS: EsxcliCommand[] = [
  {
    path: 'system version get',
    options: [],
    run: (_o, ctx) => {
      const v = ctx.state.esxi;
      return {
        output: {
          kind: 'structure',
          value: {
            typeName: 'VersionGet',
            fields: [
              str('Product', v.product),
              str('Version', v.version),
              str('Build', v.build),
              str('Update', v.update),
              str('Patch', v.patch),
            ],
          },
        },
      };
    },
  },
  {
    path: 'system hostname get',
    options: [],
    run: (_o, ctx) => ({
      output: {
        kind: 'structure',
        value: {
          typeName: 'FullyQualifiedHostName',
          fields: [
            str('Domain Name', 'lab.local'),
            str('Fully Qualified Domain Name', `${ctx.state.hostname}.lab.local`),
            str('Host Name', ctx.state.hostname),
          ],
        },
      },
    }),
  },
  {
    path: 'system settings advanced list',
    options: [
      { long: 'option', short: 'o', kind: 'value' },
      { long: 'delta', short: 'd', kind: 'flag' },
      { long: 'tree', short: 't', kind: 'value' },
    ],
    run: (o, ctx) => {
      const extra = ctx.state.esxi.advancedListExtraFields;
      const path = single(o, 'option');
      if (path !== undefined) {
        const def = ctx.state.settings.find(path);
        if (!def) return notFound(path);
        return {
          output: {
            kind: 'list',
            typeName: 'SettingsAdvancedOption',
            table: false,
            items: [advancedOption(ctx.state.settings.view(def), extra)],
          },
        };
      }
      const tree = single(o, 'tree');
      const items = ctx.state.settings
        .list()
        .filter(
          (v) =>
            (tree === undefined || v.path.startsWith(tree.endsWith('/') ? tree : `${tree}/`)) &&
            (!o.flags.has('delta') || v.intValue !== v.defaultInt || v.stringValue !== v.defaultString),
        )
        .map((v) => advancedOption(v, extra));
      return { output: { kind: 'list', typeName: 'SettingsAdvancedOption', table: false, items } };
    },
  },
  {
    path: 'system settings advanced set',
    options: [
      { long: 'option', short: 'o', kind: 'value', required: true },
      { long: 'int-value', short: 'i', kind: 'value' },
      { long: 'string-value', short: 's', kind: 'value' },
      { long: 'default', short: 'd', kind: 'flag' },
    ],
    run: (o, ctx) => {
      const path = single(o, 'option') ?? '';
      const i = single(o, 'int-value');
      const s = single(o, 'string-value');
      const chosen = [i !== undefined, s !== undefined, o.flags.has('default')].filter(Boolean).length;
      if (chosen !== 1)
        return { error: 'Error: Exactly one of --int-value, --string-value or --default must be specified.\n' };
      if (i !== undefined) return advancedSet(ctx.state, path, 'int', i);
      if (s !== undefined) return advancedSet(ctx.state, path, 'string', s);
      return advancedSet(ctx.state, path, 'default', '');
    },
  },
  {
    path: 'system maintenanceMode get',
    options: [],
    run: (_o, ctx) => ({ output: { kind: 'string', value: ctx.state.maintenanceMode ? 'Enabled' : 'Disabled' } }),
  },
  {
    path: 'system maintenanceMode set',
    options: [
      { long: 'enable', short: 'e', kind: 'value', required: true },
      { long: 'timeout', short: 't', kind: 'value' },
      { long: 'vsanmode', short: 'm', kind: 'value' },
    ],
    run: (o, ctx) => {
      const enable = parseEsxcliBoolean(single(o, 'enable') ?? '', 'enable');
      const timeoutText = single(o, 'timeout') ?? '0';
      if (!/^[0-9]+$/.test(timeoutText))
        return {
          error: `Error: Invalid data constraint for parameter 'timeout'. Expected type long. Got value '${timeoutText}'\n`,
        };
      if (enable === ctx.state.maintenanceMode)
        return { error: `Maintenance mode is already ${enable ? 'enabled' : 'disabled'}.\n` };
      if (!enable) {
        ctx.state.maintenanceMode = false;
        return { output: { kind: 'none' } };
      }
      return enterMaintenanceMode(ctx.state, Number(timeoutText) * ctx.control.msPerSecond);
    },
  },
  ...(['poweroff', 'reboot'] as const).map((action): EsxcliCommand => ({
    path: `system shutdown ${action}`,
    options: [
      { long: 'reason', short: 'r', kind: 'value', required: true },
      { long: 'delay', short: 'd', kind: 'value' },
    ],
    run: (o, ctx) => {
      const delayText = single(o, 'delay') ?? '0';
      if (!/^[0-9]+$/.test(delayText))
        return {
          error: `Error: Invalid data constraint for parameter 'delay'. Expected type long. Got value '${delayText}'\n`,
        };
      if (!ctx.state.maintenanceMode)
        return {
          error: `Unable to ${action === 'poweroff' ? 'power off' : 'reboot'} the host: the host is not in maintenance mode.\n`,
        };
      const reason = single(o, 'reason') ?? '';
      const delayMs = Number(delayText) * ctx.control.msPerSecond;
      if (action === 'poweroff') ctx.control.powerOff(reason, delayMs);
      else ctx.control.reboot(reason, delayMs);
      return { output: { kind: 'none' } };
    },
  })),
  {
    path: 'network nic list',
    options: [],
    run: (_o, ctx) => {
      const mac2 = ctx.state.mac.replace(/[0-9a-f]{2}$/, (b) =>
        ((Number.parseInt(b, 16) + 1) % 256).toString(16).padStart(2, '0'),
      );
      const nic = (name: string, pci: string, mac: string, up: boolean): EsxcliStructure => ({
        typeName: 'NIC',
        fields: [
          str('Name', name),
          str('PCI Device', pci),
          str('Driver', 'igbn'),
          str('Admin Status', 'Up'),
          str('Link Status', up ? 'Up' : 'Down'),
          int('Speed', up ? 1000 : 0),
          str('Duplex', up ? 'Full' : 'Half'),
          str('MAC Address', mac),
          int('MTU', 1500),
          str('Description', 'Intel Corporation I350 Gigabit Network Connection'),
        ],
      });
      return {
        output: {
          kind: 'list',
          typeName: 'NIC',
          table: true,
          items: [nic('vmnic0', '0000:05:00.0', ctx.state.mac, true), nic('vmnic1', '0000:05:00.1', mac2, false)],
        },
      };
    },
  },
];
