/** Renders the files of an isolated NUT instance (docs/NUT.md, Test bed). */

export interface NutTestbedUser {
  username: string;
  password: string;
}

export interface NutTestbedUpsConfig {
  name: string;
  description: string;
  /** Absolute path of the dummy-ups .dev file. */
  devFile: string;
}

export interface NutTestbedTlsConfig {
  nssDbDir: string;
  nickname: string;
  dbPassword: string;
}

// upsclient sends credentials unquoted (docs/NUT.md, Quoting): keep them to a safe alphabet.
const SAFE_WORD = /^[A-Za-z0-9._@-]+$/;
const SAFE_UPS_NAME = /^[A-Za-z0-9_-]+$/;

export function assertSafeCredential(value: string, what: string): void {
  if (!SAFE_WORD.test(value)) throw new Error(`${what} ${JSON.stringify(value)} must match ${SAFE_WORD}`);
}

export function assertSafeUpsName(name: string): void {
  if (!SAFE_UPS_NAME.test(name)) throw new Error(`UPS name ${JSON.stringify(name)} must match ${SAFE_UPS_NAME}`);
}

function quote(value: string): string {
  return `"${value.replace(/[\\"#]/g, (ch) => `\\${ch}`)}"`;
}

export function renderUpsConf(upses: readonly NutTestbedUpsConfig[], pollIntervalSec: number): string {
  return upses
    .map((ups) =>
      [
        `[${ups.name}]`,
        '    driver = dummy-ups',
        `    port = ${quote(ups.devFile)}`,
        '    mode = dummy-once',
        `    desc = ${quote(ups.description)}`,
        `    pollinterval = ${pollIntervalSec}`,
        '',
      ].join('\n'),
    )
    .join('\n');
}

export function renderUpsdConf(port: number, maxAgeSec: number, tls: NutTestbedTlsConfig | null): string {
  const lines = [`LISTEN 127.0.0.1 ${port}`, `MAXAGE ${maxAgeSec}`];
  if (tls !== null) lines.push(`CERTPATH ${tls.nssDbDir}`, `CERTIDENT ${quote(tls.nickname)} ${quote(tls.dbPassword)}`);
  return `${lines.join('\n')}\n`;
}

/** `admin` may SET, FSD and run every INSTCMD; `monitor` may only LOGIN (upsmon secondary). */
export function renderUpsdUsers(admin: NutTestbedUser, monitor: NutTestbedUser): string {
  return [
    `[${admin.username}]`,
    `    password = ${admin.password}`,
    '    actions = SET',
    '    actions = FSD',
    '    instcmds = ALL',
    '    upsmon primary',
    '',
    `[${monitor.username}]`,
    `    password = ${monitor.password}`,
    '    upsmon secondary',
    '',
  ].join('\n');
}

/**
 * A dummy-ups data file. Values are written raw (the rest of the line is the value); `"`, `\`,
 * `#` and control characters are refused because the driver would mangle them
 * (docs/NUT.md, Driver escaping).
 * An empty value is written as `""`, which is how dummy-ups deletes a variable.
 */
export function renderDevFile(variables: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name))
      throw new Error(`variable name ${JSON.stringify(name)} is not a NUT variable name`);
    if (/["\\#]|[^\x20-\x7e]/.test(value) || value !== value.trim()) {
      throw new Error(
        `value ${JSON.stringify(value)} of ${name} can't round-trip through dummy-ups (no quotes, backslashes, #, control chars, edge spaces)`,
      );
    }
    lines.push(`${name}: ${value === '' ? '""' : value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Variables every test UPS starts with: on line, full battery. */
export const DEFAULT_UPS_VARIABLES: Readonly<Record<string, string>> = {
  'ups.status': 'OL',
  'battery.charge': '100',
  'battery.charge.low': '20',
  'battery.runtime': '1800',
  'battery.runtime.low': '300',
  'ups.load': '25',
  'input.voltage': '230.0',
  'ups.mfr': 'nutfleet',
  'ups.model': 'testbed',
};
