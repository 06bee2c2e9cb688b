/**
 * Parses the options of one esxcli command the way esxcli does: `--long=value`,
 * `--long value`, `-s value`, flags, and repeatable options. Errors carry esxcli's wording.
 */
export interface EsxcliOptionSpec {
  long: string;
  short?: string;
  /** flag: no value; value: one value; multi: repeatable. */
  kind: 'flag' | 'value' | 'multi';
  required?: boolean;
}

export interface ParsedEsxcliOptions {
  flags: Set<string>;
  values: Map<string, string[]>;
}

export class EsxcliUsageError extends Error {}

export function optionLabel(spec: EsxcliOptionSpec): string {
  return spec.short ? `-${spec.short}|--${spec.long}` : `--${spec.long}`;
}

export function parseEsxcliOptions(args: readonly string[], specs: readonly EsxcliOptionSpec[]): ParsedEsxcliOptions {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    let spec: EsxcliOptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) inline = arg.slice(eq + 1);
      spec = specs.find((s) => s.long === name);
    } else if (arg.startsWith('-') && arg.length >= 2) {
      spec = specs.find((s) => s.short === arg.slice(1, 2));
      if (arg.length > 2) inline = arg.slice(2).replace(/^=/, '');
    }
    if (!spec) throw new EsxcliUsageError(`Error: Invalid option ${arg}`);
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new EsxcliUsageError(`Error: Invalid option ${arg}`);
      flags.add(spec.long);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= args.length) throw new EsxcliUsageError(`Error: Missing argument for option ${optionLabel(spec)}`);
      value = args[++i] ?? '';
    }
    const list = values.get(spec.long) ?? [];
    if (spec.kind === 'value' && list.length > 0) list.length = 0;
    list.push(value);
    values.set(spec.long, list);
  }
  for (const spec of specs) {
    if (spec.required && !values.has(spec.long) && !flags.has(spec.long))
      throw new EsxcliUsageError(`Error: Missing required parameter ${optionLabel(spec)}`);
  }
  return { flags, values };
}

export function single(o: ParsedEsxcliOptions, long: string): string | undefined {
  const v = o.values.get(long);
  return v ? v[v.length - 1] : undefined;
}

/** esxcli booleans accept true/false, yes/no, 1/0 (case-insensitive). */
export function parseEsxcliBoolean(text: string, label: string): boolean {
  const t = text.toLowerCase();
  if (['true', 'yes', '1'].includes(t)) return true;
  if (['false', 'no', '0'].includes(t)) return false;
  throw new EsxcliUsageError(
    `Error: Invalid data constraint for parameter '${label}'. Expected type boolean. Got value '${text}'`,
  );
}
