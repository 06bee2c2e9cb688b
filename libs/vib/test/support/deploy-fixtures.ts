/** Shared set-up for deploy tests: fixture VIB files on disk, hosts of a simulated fleet, desired UserVars. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EsxiHostPool, type EsxiHost } from '@nutfleet/esxi';
import { resolveShutdownPolicy } from '@nutfleet/power';
import {
  buildOfflineBundleFixture,
  buildVibFixture,
  type SimulatedHost,
  type VibFixtureOptions,
} from '@nutfleet/testing';
import { buildDesiredUserVars, type DeployArtifact, type NutUserVars, parseArtifactFile } from '../../src';

export class FixtureFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'nutfleet-deploy-'));

  async vib(options: VibFixtureOptions = {}): Promise<DeployArtifact> {
    const fixture = buildVibFixture(options);
    const path = join(this.dir, `${fixture.sha256.slice(0, 8)}-${fixture.fileName}`);
    writeFileSync(path, fixture.bytes);
    const parsed = await parseArtifactFile(path);
    if (parsed.kind !== 'vib') throw new Error('fixture is not a vib');
    return {
      kind: 'vib',
      localPath: path,
      fileName: fixture.fileName,
      sha256: parsed.sha256,
      descriptor: parsed.descriptor,
    };
  }

  async bundle(options: VibFixtureOptions = {}): Promise<DeployArtifact> {
    const bytes = buildOfflineBundleFixture([buildVibFixture(options)]);
    const path = join(this.dir, `bundle-${options.version ?? 'default'}.zip`);
    writeFileSync(path, bytes);
    const parsed = await parseArtifactFile(path);
    if (parsed.kind !== 'bundle' || !parsed.vibs[0]) throw new Error('fixture is not a bundle');
    return {
      kind: 'bundle',
      localPath: path,
      fileName: 'offline_bundle.zip',
      sha256: parsed.sha256,
      descriptor: parsed.vibs[0].descriptor,
    };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function connect(pool: EsxiHostPool, h: SimulatedHost, overrides: { password?: string } = {}): EsxiHost {
  return pool.get({
    address: h.address,
    port: h.port,
    username: h.username,
    auth: { kind: 'password', password: overrides.password ?? h.password },
    fingerprint: h.fingerprint,
  });
}

export function desiredUserVars(
  vibVersion = '2.8.5-2.7.3',
  overrides: Partial<{ password: string; onBatterySeconds: number }> = {},
): NutUserVars {
  const result = buildDesiredUserVars({
    vibVersion,
    hostName: 'esx',
    minSupplies: 1,
    feeds: [
      {
        upsName: 'ups1',
        nutServer: {
          name: 'nut1',
          host: 'nut1.lan',
          port: 3493,
          credentials: { username: 'monuser', password: overrides.password ?? 'secret' },
        },
      },
      {
        upsName: 'ups2',
        nutServer: {
          name: 'nut2',
          host: 'nut2.lan',
          port: 3494,
          credentials: { username: 'monuser', password: overrides.password ?? 'secret' },
        },
      },
    ],
    policy: resolveShutdownPolicy({ id: 'p', triggers: { onBatterySeconds: overrides.onBatterySeconds ?? 300 } }),
    plannedShutdownDeadlineSeconds: 400,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.userVars;
}

/** Commands the host received, as the shell split them (argv joined by spaces). */
export function commandLines(h: SimulatedHost, since = 0): string[] {
  return h.commandLog.slice(since).map((e) => e.argvs.map((argv) => argv.join(' ')).join(' ; '));
}

export function vibTransactions(h: SimulatedHost): string[] {
  return h.commandLog
    .filter(
      (e) =>
        e.argv[0] === 'esxcli' && e.argv.includes('vib') && (e.argv.includes('install') || e.argv.includes('update')),
    )
    .map((e) => e.argv.join(' '));
}

/** Commands that only read: what a no-op deployment may send. */
export const READ_ONLY_COMMAND =
  /^(esxcli system version get|esxcli software vib get|esxcli (--formatter=csv )?software vib list|esxcli system settings advanced list|\/etc\/init\.d\/upsmon status|\/opt\/nut\/bin\/upsc )/;
