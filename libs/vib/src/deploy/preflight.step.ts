/**
 * Preflight: the host answers over SSH with its pinned key (any command proves both), runs a
 * supported ESXi, can take this VIB (ESXi 8 checksum rule, acceptance level, Secure Boot), and
 * which version, if any, is installed. Read-only except the acceptance level change, which is
 * made only when the rollout allows it and is a no-op when repeated.
 */
import { esxcli, SecureBootError, AcceptanceLevelError, VibNotFoundError } from '@nutfleet/esxi';
import { ACCEPTANCE_RANK, HOST_LEVEL_FOR_VIB } from '../descriptor/vib-descriptor.types';
import {
  AcceptanceLevelBlocksInstallError,
  NotInstalledError,
  PayloadChecksumRequiredError,
  SecureBootBlocksInstallError,
  UnsupportedEsxiVersionError,
} from './deploy.errors';
import { type DeployStepResult, type DeployTarget } from './deploy.types';
import { done, type PreflightFacts, type StepContext } from './step-context';

export const SECURE_BOOT_PROBE = '/usr/lib/vmware/secureboot/bin/secureBoot.py';

export async function runPreflight(ctx: StepContext): Promise<DeployStepResult> {
  const { host, options } = ctx;
  const version = await esxcli.systemVersionGet(host);
  const major = Number(version.version.split('.')[0]);
  if (!(major >= 6)) throw new UnsupportedEsxiVersionError(host.label, version.version);
  const installed = await findInstalled(host, ctx.vibName);
  ctx.facts = {
    esxiVersion: version.version,
    installedVersion: installed?.version,
    installedVibId: installed?.id,
  } satisfies PreflightFacts;
  const output = {
    esxiVersion: version.version,
    esxiBuild: version.build,
    installedVersion: installed?.version ?? null,
  };

  if (options.action !== 'install') {
    if (options.action === 'configure' && !installed) throw new NotInstalledError(host.label, ctx.vibName);
    return done(
      'preflight',
      `ESXi ${version.version}, ${ctx.vibName} ${installed?.version ?? 'not installed'}`,
      output,
    );
  }
  const artifact = options.artifact;
  if (!artifact) throw new Error('install needs an artifact');
  const d = artifact.descriptor;
  if (installed?.version === d.version)
    return done('preflight', `ESXi ${version.version}, ${d.name} ${d.version} already installed`, output);

  if (major >= 8 && d.payloads.some((p) => !p.hasSha256Gunzip))
    throw new PayloadChecksumRequiredError(host.label, version.version, d.vibId);

  const hostLevel = await esxcli.acceptanceGet(host);
  const needed = HOST_LEVEL_FOR_VIB[d.acceptanceLevel];
  let acceptance = `${hostLevel} accepts ${d.acceptanceLevel}`;
  if (ACCEPTANCE_RANK[hostLevel] > ACCEPTANCE_RANK[needed]) {
    // Probe first: Secure Boot makes the level change impossible, and saying so beats a vague esxcli error.
    if (await secureBootEnabled(host)) throw new SecureBootBlocksInstallError(host.label);
    if (!options.allowAcceptanceChange) throw new AcceptanceLevelBlocksInstallError(host.label, hostLevel, needed);
    try {
      await esxcli.acceptanceSet(host, needed);
    } catch (err) {
      if (err instanceof SecureBootError) throw new SecureBootBlocksInstallError(host.label, err);
      if (err instanceof AcceptanceLevelError)
        throw new AcceptanceLevelBlocksInstallError(host.label, hostLevel, needed, err.detail, err);
      throw err;
    }
    acceptance = `acceptance level lowered from ${hostLevel} to ${needed}`;
    ctx.warnings.push(`${host.label}: ${acceptance}`);
  }
  return done('preflight', `ESXi ${version.version}, ${acceptance}`, {
    ...output,
    acceptanceLevel: hostLevel,
    acceptanceChangedTo: acceptance.startsWith('acceptance level lowered') ? needed : null,
  });
}

async function findInstalled(host: DeployTarget, name: string): Promise<{ version: string; id: string } | undefined> {
  try {
    const vib = await esxcli.vibGet(host, name);
    return { version: vib.version, id: vib.id };
  } catch (err) {
    if (err instanceof VibNotFoundError) return undefined;
    throw err;
  }
}

/** `secureBoot.py -s` prints Enabled/Disabled; a host without the script (pre-6.5) has no Secure Boot. */
async function secureBootEnabled(host: DeployTarget): Promise<boolean> {
  const result = await host.exec([SECURE_BOOT_PROBE, '-s']);
  return result.code === 0 && /^\s*enabled\b/i.test(result.stdout);
}

export { findInstalled };
