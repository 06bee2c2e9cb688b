/** What must be set on a host so its UserVars.Nut* match the desired ones. */
import {
  isNutUserVarName,
  NUT_USER_VAR_NAMES,
  type NutUserVarName,
  type NutUserVars,
  userVarPath,
} from './nut-user-var.definitions';

export type UserVarChange =
  | { readonly name: NutUserVarName; readonly type: 'string'; readonly from: string | undefined; readonly to: string }
  | { readonly name: NutUserVarName; readonly type: 'int'; readonly from: number | undefined; readonly to: number };

export interface UserVarsDiff {
  /** In NUT_USER_VAR_NAMES order. Values of NutPassword appear here: never log a diff as is (see `redactDiff`). */
  readonly changes: readonly UserVarChange[];
  readonly unchanged: readonly NutUserVarName[];
  /** Desired options the host does not have (VIB not installed, or too old). */
  readonly missingOnHost: readonly NutUserVarName[];
}

/** `current` holds what the host reports (undefined = option absent). Options not in `desired` are left alone. */
export function diffUserVars(current: NutUserVars, desired: NutUserVars, hostHas?: ReadonlySet<string>): UserVarsDiff {
  const changes: UserVarChange[] = [];
  const unchanged: NutUserVarName[] = [];
  const missingOnHost: NutUserVarName[] = [];
  for (const name of NUT_USER_VAR_NAMES) {
    const to = desired[name];
    if (to === undefined) continue;
    if (hostHas && !hostHas.has(name)) {
      missingOnHost.push(name);
      continue;
    }
    const from = current[name];
    if (from === to) {
      unchanged.push(name);
      continue;
    }
    if (typeof to === 'number')
      changes.push({ name, type: 'int', from: typeof from === 'number' ? from : undefined, to });
    else changes.push({ name, type: 'string', from: typeof from === 'string' ? from : undefined, to });
  }
  return { changes, unchanged, missingOnHost };
}

/** UserVars whose values are secrets: masked in diffs, journals, command lines and errors. */
export const SECRET_USER_VARS: ReadonlySet<NutUserVarName> = new Set<NutUserVarName>(['NutPassword']);

/** The same diff with password values replaced, for journals and logs. */
export function redactDiff(diff: UserVarsDiff): UserVarsDiff {
  return {
    ...diff,
    changes: diff.changes.map((c) =>
      SECRET_USER_VARS.has(c.name) && c.type === 'string'
        ? { ...c, from: c.from === undefined ? undefined : '***', to: '***' }
        : c,
    ),
  };
}

/** Reads `esxcli system settings advanced list` records into values, keeping only Nut* options. */
export function userVarsFromAdvancedOptions(
  options: ReadonlyArray<{ readonly path: string; readonly intValue?: number; readonly stringValue?: string }>,
): { values: NutUserVars; present: Set<NutUserVarName> } {
  const values: Record<string, string | number> = {};
  const present = new Set<NutUserVarName>();
  for (const option of options) {
    const name = option.path.replace(/^\/UserVars\//, '');
    if (!isNutUserVarName(name) || option.path !== userVarPath(name)) continue;
    present.add(name);
    const value = option.intValue ?? option.stringValue;
    if (value !== undefined) values[name] = value;
  }
  return { values: values as NutUserVars, present };
}
