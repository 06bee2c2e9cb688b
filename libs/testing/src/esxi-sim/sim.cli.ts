#!/usr/bin/env node
/**
 * Starts a simulated ESXi fleet and prints its hosts as JSON on stdout, then runs until
 * SIGINT/SIGTERM. Usage:
 *   node dist/libs/testing/src/esxi-sim/sim.cli.js --hosts 50 [--base-port N] [--seed S]
 *        [--wol-port N] [--distinct-addresses] [--version 6.7|7.0|8.0|mixed] [--ms-per-second N]
 *        [--authorized-keys FILE]   (OpenSSH public keys accepted by every host, e.g. ~/.ssh/id_ed25519.pub)
 *        [--command-log FILE]       (appends every exec request as a JSON line {host, at, line}, at = epoch ms
 *                                    when the host received it: benches in another process read it)
 */
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { startEsxiFleet } from './esxi-fleet';
import type { EsxiVersionName } from './esxi-version.profiles';
import type { CommandLogEntry } from './host-state';
import type { SimulatedHost } from './simulated-host';

interface CliOptions {
  hosts: number;
  basePort?: number;
  seed?: string;
  wolPort?: number;
  distinctAddresses: boolean;
  version: EsxiVersionName | 'mixed';
  msPerSecond?: number;
  authorizedKeys?: string[];
  commandLog?: string;
}

const VERSIONS: readonly EsxiVersionName[] = ['8.0', '7.0', '6.7'];

function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { hosts: 10, distinctAddresses: false, version: 'mixed' };
  const int = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^[0-9]+$/.test(v))
      throw new Error(`${flag} needs a non-negative integer, got '${v ?? ''}'`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--hosts':
        options.hosts = int(flag, value());
        break;
      case '--base-port':
        options.basePort = int(flag, value());
        break;
      case '--wol-port':
        options.wolPort = int(flag, value());
        break;
      case '--ms-per-second':
        options.msPerSecond = int(flag, value());
        break;
      case '--seed':
        options.seed = value();
        break;
      case '--authorized-keys': {
        const file = value() ?? '';
        options.authorizedKeys = readFileSync(file, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'));
        break;
      }
      case '--command-log':
        options.commandLog = value() ?? '';
        break;
      case '--distinct-addresses':
        options.distinctAddresses = true;
        break;
      case '--version': {
        const v = value() ?? '';
        if (v !== 'mixed' && !(VERSIONS as readonly string[]).includes(v))
          throw new Error(`--version must be 6.7, 7.0, 8.0 or mixed, got '${v}'`);
        options.version = v as CliOptions['version'];
        break;
      }
      case '--help':
      case '-h':
        process.stdout.write(
          'Usage: sim.cli.js --hosts N [--base-port N] [--seed S] [--wol-port N] [--distinct-addresses] [--version 6.7|7.0|8.0|mixed] [--ms-per-second N] [--authorized-keys FILE] [--command-log FILE]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`esxi-sim: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const fleet = await startEsxiFleet({
    hosts: options.hosts,
    ...(options.basePort !== undefined ? { basePort: options.basePort } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.wolPort !== undefined ? { wolPort: options.wolPort } : {}),
    ...(options.msPerSecond !== undefined ? { msPerSecond: options.msPerSecond } : {}),
    distinctAddresses: options.distinctAddresses,
    ...(options.authorizedKeys ? { defaults: { authorizedKeys: options.authorizedKeys } } : {}),
    profileFor: (i) => ({
      version: options.version === 'mixed' ? (VERSIONS[i % VERSIONS.length] ?? '8.0') : options.version,
    }),
  });
  const log = options.commandLog === undefined ? undefined : streamCommands(fleet.hosts, options.commandLog);
  process.stdout.write(
    `${JSON.stringify({ wol: { address: fleet.wolAddress, port: fleet.wolPort }, hosts: fleet.info() }, null, 2)}\n`,
  );
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void fleet
      .stop()
      .then(() => new Promise<void>((resolve) => (log ? log.end(resolve) : resolve())))
      .then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function streamCommands(hosts: readonly SimulatedHost[], file: string): WriteStream {
  const out = createWriteStream(file, { flags: 'a' });
  for (const host of hosts) {
    host.state.on('command', (entry: CommandLogEntry) => {
      out.write(`${JSON.stringify({ host: host.id, at: entry.at, line: entry.line })}\n`);
    });
  }
  return out;
}

void main();
