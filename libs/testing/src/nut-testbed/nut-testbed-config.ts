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
  /** Served by NUT's `clone` driver on top of a simulated hardware socket instead of dummy-ups. */
  clone?: NutTestbedCloneConfig;
}

/** A UPS whose driver executes shutdown.return / shutdown.stayoff (see ups-hardware.socket.ts). */
export interface NutTestbedCloneConfig {
  /** clone's `offdelay`: seconds between the command and the output going off. */
  offDelaySec: number;
  /** clone's `ondelay`: seconds of mains after which the output comes back. */
  onDelaySec: number;
  /** Socket file name of the hardware in the state path. */
  hardwareSocket: string;
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
      ups.clone !== undefined
        ? [
            `[${ups.name}]`,
            '    driver = clone',
            `    port = ${quote(ups.clone.hardwareSocket)}`,
            `    offdelay = ${ups.clone.offDelaySec}`,
            `    ondelay = ${ups.clone.onDelaySec}`,
            // clone 2.8.0 dereferences load.status unchecked on every INSTCMD (it segfaults
            // without it), and load.off/load.on are what it sends the hardware.
            '    load.off = load.off',
            '    load.on = load.on',
            '    load.status = outlet.status',
            `    desc = ${quote(ups.description)}`,
            `    pollinterval = ${pollIntervalSec}`,
            '',
          ].join('\n')
        : [
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

/**
 * `admin` may SET, FSD and run every INSTCMD; `monitor` may only LOGIN (upsmon secondary);
 * `operator` (optional) may SET and run every INSTCMD but not LOGIN or FSD: the account a
 * power-cycle needs and nothing more.
 */
export function renderUpsdUsers(admin: NutTestbedUser, monitor: NutTestbedUser, operator?: NutTestbedUser): string {
  const operatorLines =
    operator === undefined
      ? []
      : [
          `[${operator.username}]`,
          `    password = ${operator.password}`,
          '    actions = SET',
          '    instcmds = ALL',
          '',
        ];
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
    ...operatorLines,
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
