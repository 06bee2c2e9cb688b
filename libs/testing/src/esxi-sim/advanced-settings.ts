/**
 * Advanced settings of one host. Definitions of the built-in options are shared by all hosts;
 * a host stores only the values it changed and the options created at runtime (the
 * UserVars.Nut* options of the VIB), so 1,000 hosts cost little memory.
 */
export interface AdvancedOptionDefinition {
  path: string;
  type: 'integer' | 'string';
  defaultInt: number;
  defaultString: string;
  min: number;
  max: number;
  description: string;
}

export interface AdvancedOptionView extends AdvancedOptionDefinition {
  intValue: number;
  stringValue: string;
}

const intOption = (
  path: string,
  def: number,
  min: number,
  max: number,
  description: string,
): AdvancedOptionDefinition => ({
  path,
  type: 'integer',
  defaultInt: def,
  defaultString: '',
  min,
  max,
  description,
});

export const stringOption = (path: string, def: string, description: string): AdvancedOptionDefinition => ({
  path,
  type: 'string',
  defaultInt: 0,
  defaultString: def,
  min: 0,
  max: 0,
  description,
});
export { intOption };

const BUILT_IN_OPTIONS: readonly AdvancedOptionDefinition[] = [
  stringOption('/Misc/HostName', 'localhost', 'Host name'),
  intOption('/Misc/BlueScreenTimeout', 0, 0, 65535, 'Timeout in seconds, 0 is no timeout'),
  intOption(
    '/UserVars/ESXiShellTimeOut',
    0,
    0,
    86400,
    'Time before automatically disabling local and remote shell access (in seconds, 0 disables).  Takes effect after the services are restarted.',
  ),
  intOption(
    '/UserVars/ESXiShellInteractiveTimeOut',
    0,
    0,
    86400,
    'Idle time before an interactive shell is automatically logged out (in seconds, 0 disables).  Takes effect only for newly logged in sessions.',
  ),
  intOption(
    '/UserVars/HostClientCEIPOptIn',
    2,
    0,
    2,
    'Whether or not to opt-in for CEIP. 0 for ask, 1 for yes, 2 for no.',
  ),
  intOption('/UserVars/SuppressShellWarning', 0, 0, 1, "Don't show warning for enabled local and remote shell access"),
];

export type SetAdvancedResult =
  | { ok: true }
  | { ok: false; reason: 'not-found' | 'wrong-type' | 'out-of-range'; definition?: AdvancedOptionDefinition };

export class AdvancedSettings {
  private values?: Map<string, number | string>;
  private created?: Map<string, AdvancedOptionDefinition>;

  constructor(private readonly hostName: string) {}

  private definitions(): AdvancedOptionDefinition[] {
    const base = BUILT_IN_OPTIONS.map((d) =>
      d.path === '/Misc/HostName' ? { ...d, defaultString: this.hostName } : d,
    );
    return [...base, ...(this.created?.values() ?? [])];
  }

  find(path: string): AdvancedOptionDefinition | undefined {
    return this.definitions().find((d) => d.path === path);
  }

  view(def: AdvancedOptionDefinition): AdvancedOptionView {
    const v = this.values?.get(def.path);
    return {
      ...def,
      intValue: def.type === 'integer' ? (typeof v === 'number' ? v : def.defaultInt) : 0,
      stringValue: def.type === 'string' ? (typeof v === 'string' ? v : def.defaultString) : '',
    };
  }

  list(): AdvancedOptionView[] {
    return this.definitions().map((d) => this.view(d));
  }

  get(path: string): number | string | undefined {
    const def = this.find(path);
    if (!def) return undefined;
    const view = this.view(def);
    return def.type === 'integer' ? view.intValue : view.stringValue;
  }

  setInt(path: string, value: number): SetAdvancedResult {
    const def = this.find(path);
    if (!def) return { ok: false, reason: 'not-found' };
    if (def.type !== 'integer') return { ok: false, reason: 'wrong-type', definition: def };
    if (!Number.isInteger(value) || value < def.min || value > def.max)
      return { ok: false, reason: 'out-of-range', definition: def };
    (this.values ??= new Map()).set(path, value);
    return { ok: true };
  }

  setString(path: string, value: string): SetAdvancedResult {
    const def = this.find(path);
    if (!def) return { ok: false, reason: 'not-found' };
    if (def.type !== 'string') return { ok: false, reason: 'wrong-type', definition: def };
    (this.values ??= new Map()).set(path, value);
    return { ok: true };
  }

  /** Sets from text, whatever the option's type (esxcfg-advcfg -s, vim-cmd advopt/update). */
  setFromText(path: string, text: string): SetAdvancedResult {
    const def = this.find(path);
    if (!def) return { ok: false, reason: 'not-found' };
    if (def.type === 'string') return this.setString(path, text);
    if (!/^-?[0-9]+$/.test(text.trim())) return { ok: false, reason: 'wrong-type', definition: def };
    return this.setInt(path, Number(text));
  }

  reset(path: string): SetAdvancedResult {
    if (!this.find(path)) return { ok: false, reason: 'not-found' };
    this.values?.delete(path);
    return { ok: true };
  }

  /** Creates or re-creates a runtime option (esxcfg-advcfg -A), keeping a valid current value. */
  create(def: AdvancedOptionDefinition): void {
    (this.created ??= new Map()).set(def.path, def);
    const current = this.values?.get(def.path);
    if (current === undefined) return;
    const keep =
      def.type === 'string'
        ? typeof current === 'string'
        : typeof current === 'number' && current >= def.min && current <= def.max;
    if (!keep) this.values?.delete(def.path);
  }

  delete(path: string): void {
    this.created?.delete(path);
    this.values?.delete(path);
  }
}
