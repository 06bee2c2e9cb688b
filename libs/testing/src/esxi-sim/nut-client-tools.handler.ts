/**
 * Read-only probes a deployment runs after installing NutClient: `/opt/nut/bin/upsc` (shipped in
 * the VIB payload) and ESXi's `secureBoot.py -s`. The simulated host runs no NUT client
 * traffic, so upsc answers for any `ups@server[:port]` with an on-line UPS, except for the
 * entries a test lists in `state.unreachableUpses` (those fail as upsc does when the server
 * does not answer).
 */
import { fail, ok, type CommandContext, type CommandResult } from './command-result';

export const UPSC_PATH = '/opt/nut/bin/upsc';
export const SECURE_BOOT_PROBE_PATH = '/usr/lib/vmware/secureboot/bin/secureBoot.py';

const UPS_SPEC = /^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(:\d{1,5})?$/;

const ONLINE_UPS_VARIABLES: ReadonlyArray<readonly [string, string]> = [
  ['battery.charge', '100'],
  ['battery.runtime', '1800'],
  ['device.type', 'ups'],
  ['ups.status', 'OL'],
];

export function handleUpsc(argv: string[], ctx: CommandContext): CommandResult {
  const ups = argv[1];
  if (ups === undefined || ups.startsWith('-')) return fail('usage: upsc -l | -L [<hostname>[:port]]');
  if (!UPS_SPEC.test(ups)) return fail(`Error: invalid UPS definition.\nRequired format: upsname[@hostname[:port]]`);
  if (ctx.state.unreachableUpses.has(ups)) return fail('Error: Connection failure: Connection refused');
  const variable = argv[2];
  if (variable !== undefined) {
    const found = ONLINE_UPS_VARIABLES.find(([name]) => name === variable);
    return found ? ok(`${found[1]}\n`) : fail('Error: Variable not supported by UPS');
  }
  return ok(ONLINE_UPS_VARIABLES.map(([name, value]) => `${name}: ${value}\n`).join(''));
}

/** `secureBoot.py -s` prints "Enabled" or "Disabled" on ESXi 6.5 and later. */
export function handleSecureBootProbe(argv: string[], ctx: CommandContext): CommandResult {
  if (argv[1] !== '-s') return fail('usage: secureBoot.py [-s|-c|-a]');
  return ok(ctx.state.secureBoot ? 'Enabled\n' : 'Disabled\n');
}
