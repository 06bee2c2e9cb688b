import { type AdvancedOption } from '@nutfleet/esxi';

/**
 * `/UserVars/Nut*` as read from a host, typed, with the NUT password reduced to "set or not":
 * what discovery records and what a rollout reports after reading the options back. The value of
 * NutPassword never leaves this function.
 */
export type ObservedNutUserVar =
  | { readonly type: 'integer'; readonly value: number | null; readonly default: number | null }
  | { readonly type: 'string'; readonly value: string | null; readonly default: string | null }
  /** A secret (NutPassword): whether it differs from empty, never the value. */
  | { readonly type: 'secret'; readonly set: boolean };

/** The UserVars whose value is a secret. */
export const SECRET_USER_VAR_NAMES: readonly string[] = ['NutPassword'];

/** `/UserVars/Nut*` by name (other options are ignored); the NUT password keeps only whether it is set. */
export function observeNutUserVars(options: readonly AdvancedOption[]): Record<string, ObservedNutUserVar> {
  const result: Record<string, ObservedNutUserVar> = {};
  for (const option of options) {
    const name = /^\/UserVars\/(Nut[A-Za-z0-9_]*)$/.exec(option.path)?.[1];
    if (name === undefined) continue;
    if (SECRET_USER_VAR_NAMES.includes(name)) {
      result[name] = { type: 'secret', set: (option.stringValue ?? '') !== '' };
    } else if (/^int/i.test(option.type)) {
      result[name] = { type: 'integer', value: option.intValue ?? null, default: option.defaultIntValue ?? null };
    } else {
      result[name] = { type: 'string', value: option.stringValue ?? null, default: option.defaultStringValue ?? null };
    }
  }
  return result;
}
