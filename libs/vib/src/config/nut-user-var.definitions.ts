/**
 * The `UserVars.Nut*` options NutClient-ESXi's upsmon-install creates, per project version
 * (docs/ESXI.md, UserVars per release): types, ranges and defaults moved across releases, and a
 * value outside what the installed version declares is refused by esxcli, so we check against the
 * same table first.
 */
export const NUT_STRING_VARS = ['NutUpsName', 'NutUser', 'NutPassword', 'NutMailTo', 'NutSmtpRelay'] as const;
export const NUT_INT_VARS = ['NutFinalDelay', 'NutSendMail', 'NutMinSupplies', 'NutOnBatteryDelay'] as const;
export type NutStringVarName = (typeof NUT_STRING_VARS)[number];
export type NutIntVarName = (typeof NUT_INT_VARS)[number];
export type NutUserVarName = NutStringVarName | NutIntVarName;
export const NUT_USER_VAR_NAMES: readonly NutUserVarName[] = [...NUT_STRING_VARS, ...NUT_INT_VARS];

/** A set of values, strings for string options and integers for int options. */
export type NutUserVars = { readonly [K in NutStringVarName]?: string } & { readonly [K in NutIntVarName]?: number };

export type NutUserVarDefinition =
  | { readonly name: NutStringVarName; readonly type: 'string'; readonly defaultValue: string }
  | {
      readonly name: NutIntVarName;
      readonly type: 'int';
      readonly defaultValue: number;
      readonly min: number;
      readonly max: number;
    };

export function isNutUserVarName(name: string): name is NutUserVarName {
  return (NUT_USER_VAR_NAMES as readonly string[]).includes(name);
}

/** `2.8.5-2.7.3` → `2.7.3`: the VIB version is `<NUT version>-<project version>`. */
export function projectVersionOf(vibVersion: string): string {
  const dash = vibVersion.indexOf('-');
  return dash < 0 ? vibVersion : vibVersion.slice(dash + 1);
}

/** Numeric comparison of dotted versions; non-numeric parts compare as text. */
export function compareDottedVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const c = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

/** The options the given VIB version creates, in the order the VIB creates them. */
export function nutUserVarDefinitions(vibVersion: string): NutUserVarDefinition[] {
  const atLeast = (v: string): boolean => compareDottedVersions(projectVersionOf(vibVersion), v) >= 0;
  const defs: NutUserVarDefinition[] = [
    { name: 'NutUpsName', type: 'string', defaultValue: 'upsname@nutserver' },
    { name: 'NutUser', type: 'string', defaultValue: 'upsuser' },
    { name: 'NutPassword', type: 'string', defaultValue: 'upspassword' },
    { name: 'NutMailTo', type: 'string', defaultValue: 'root@domain' },
  ];
  // 2.6.0 added the relay with an empty default; 2.6.1 changed it to "none" (ESXi <= 6.7 refuses '').
  if (atLeast('2.6.0'))
    defs.push({ name: 'NutSmtpRelay', type: 'string', defaultValue: atLeast('2.6.1') ? 'none' : '' });
  defs.push({ name: 'NutFinalDelay', type: 'int', defaultValue: 5, min: 0, max: 3600 });
  defs.push({ name: 'NutSendMail', type: 'int', defaultValue: 0, min: 0, max: atLeast('2.6.0') ? 2 : 1 });
  if (atLeast('2.2.0')) defs.push({ name: 'NutMinSupplies', type: 'int', defaultValue: 1, min: 1, max: 10 });
  if (atLeast('2.4.0')) defs.push({ name: 'NutOnBatteryDelay', type: 'int', defaultValue: 0, min: 0, max: 86400 });
  return defs;
}

export function userVarPath(name: NutUserVarName): string {
  return `/UserVars/${name}`;
}
