import { OutputParseError } from '../parsing/output-parse-error';
import { isVimObject, parseVimDump, type VimObject, type VimValue } from './vim-dump.parser';

export type AutoStartAction = 'powerOn' | 'powerOff' | 'guestShutdown' | 'suspend' | 'systemDefault' | 'none';
export type HeartbeatSetting = 'yes' | 'no' | 'systemDefault';

export interface AutoStartEntry {
  /** The VM id from `key = 'vim.VirtualMachine:3'`. */
  readonly vmId: number;
  /** Position in the start order (1 first); -1 when unset. Stop order is the reverse. */
  readonly startOrder: number;
  /** Seconds; -1 means the system default. */
  readonly startDelay: number;
  readonly startAction: AutoStartAction;
  readonly stopDelay: number;
  readonly stopAction: AutoStartAction;
  readonly waitForHeartbeat: HeartbeatSetting;
}

export interface AutoStartDefaults {
  readonly enabled: boolean;
  readonly startDelay: number;
  readonly stopDelay: number;
  readonly waitForHeartbeat: boolean;
  readonly stopAction: AutoStartAction;
}

const ACTIONS: readonly AutoStartAction[] = [
  'powerOn',
  'powerOff',
  'guestShutdown',
  'suspend',
  'systemDefault',
  'none',
];

/** `vim-cmd hostsvc/autostartmanager/get_autostartseq`: `(…AutoPowerInfo) [ {…}, … ]`. */
export function parseAutoStartSequence(text: string): AutoStartEntry[] {
  // An empty sequence may be printed as nothing at all, or as an empty list.
  if (text.trim() === '') return [];
  const dump = parseVimDump(text);
  const items = Array.isArray(dump) ? dump : [dump];
  return items
    .map((item: VimValue): AutoStartEntry => {
      if (!isVimObject(item)) throw new OutputParseError('an autostart entry is not an object');
      const key = stringField(item, 'key');
      const vmId = /VirtualMachine:(\d+)/i.exec(key)?.[1];
      if (vmId === undefined) throw new OutputParseError(`autostart key is not a VM: ${JSON.stringify(key)}`);
      return {
        vmId: Number(vmId),
        startOrder: numberField(item, 'startOrder'),
        startDelay: numberField(item, 'startDelay'),
        startAction: action(stringField(item, 'startAction')),
        stopDelay: numberField(item, 'stopDelay'),
        stopAction: action(stringField(item, 'stopAction')),
        waitForHeartbeat: heartbeat(field(item, 'waitForHeartbeat')),
      };
    })
    .sort((a, b) => a.startOrder - b.startOrder);
}

/** `vim-cmd hostsvc/autostartmanager/get_defaults`: one `SystemDefaults` object. */
export function parseAutoStartDefaults(text: string): AutoStartDefaults {
  const dump = parseVimDump(text);
  if (!isVimObject(dump)) throw new OutputParseError('autostart defaults are not an object');
  const waitForHeartbeat = field(dump, 'waitForHeartbeat');
  return {
    enabled: booleanField(dump, 'enabled'),
    startDelay: numberField(dump, 'startDelay'),
    stopDelay: numberField(dump, 'stopDelay'),
    waitForHeartbeat:
      waitForHeartbeat === true || (typeof waitForHeartbeat === 'string' && /^(true|yes)$/i.test(waitForHeartbeat)),
    stopAction: action(stringField(dump, 'stopAction')),
  };
}

/** Builds differ in capitalisation (`PowerOn`, `powerOn`, `poweron`). */
function action(value: string): AutoStartAction {
  const found = ACTIONS.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found === undefined) throw new OutputParseError(`unknown autostart action ${JSON.stringify(value)}`);
  return found;
}

function heartbeat(value: VimValue | undefined): HeartbeatSetting {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (text === 'yes' || text === 'true') return 'yes';
  if (text === 'no' || text === 'false') return 'no';
  if (text === 'systemdefault' || text === '') return 'systemDefault';
  throw new OutputParseError(`unknown waitForHeartbeat ${JSON.stringify(value)}`);
}

// Field names too vary in case between builds.
function field(object: VimObject, name: string): VimValue | undefined {
  const key = Object.keys(object.fields).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object.fields[key];
}

function stringField(object: VimObject, name: string): string {
  const value = field(object, name);
  if (typeof value !== 'string') throw new OutputParseError(`field ${name} is missing or not text`);
  return value;
}

function numberField(object: VimObject, name: string): number {
  const value = field(object, name);
  if (typeof value !== 'number') throw new OutputParseError(`field ${name} is missing or not a number`);
  return value;
}

function booleanField(object: VimObject, name: string): boolean {
  const value = field(object, name);
  if (typeof value !== 'boolean') throw new OutputParseError(`field ${name} is missing or not a boolean`);
  return value;
}
