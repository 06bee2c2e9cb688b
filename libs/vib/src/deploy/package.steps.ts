/**
 * Steps that change the package on the host: upload (resumable: skipped when the file is already
 * there with the right sha256), install or update (skipped when the version is already
 * installed, which is what makes a resumed run never install twice), cleanup, stop, remove.
 */
import { esxcli, hostServices } from '@nutfleet/esxi';
import { compareDottedVersions } from '../config/nut-user-var.definitions';
import { DeployError } from './deploy.errors';
import { type DeployArtifact, type DeployStepResult, type DeployTarget } from './deploy.types';
import { done, requireFacts, skipped, type StepContext } from './step-context';

/** Deterministic per artifact, so a resumed run finds what an earlier one uploaded. */
export function remoteArtifactPath(directory: string, artifact: DeployArtifact): string {
  const safeName = artifact.fileName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'artifact';
  return `${directory.replace(/\/+$/, '')}/nutfleet-${artifact.sha256.slice(0, 16)}-${safeName}`;
}

function artifactOf(ctx: StepContext): DeployArtifact {
  if (!ctx.options.artifact) throw new Error('install needs an artifact');
  return ctx.options.artifact;
}

function alreadyInstalled(ctx: StepContext): boolean {
  return requireFacts(ctx).installedVersion === artifactOf(ctx).descriptor.version;
}

export function remotePathOf(ctx: StepContext): string {
  return remoteArtifactPath(ctx.options.remoteDirectory ?? '/tmp', artifactOf(ctx));
}

async function remoteSha256(host: DeployTarget, path: string): Promise<string | undefined> {
  const result = await host.exec(['sha256sum', path]);
  return result.code === 0 ? /^([0-9a-f]{64})\s/i.exec(result.stdout)?.[1]?.toLowerCase() : undefined;
}

export async function runUpload(ctx: StepContext): Promise<DeployStepResult> {
  const artifact = artifactOf(ctx);
  if (alreadyInstalled(ctx))
    return skipped('upload', `${artifact.descriptor.version} already installed, nothing to upload`);
  const path = remotePathOf(ctx);
  if ((await remoteSha256(ctx.host, path)) === artifact.sha256) {
    // Left by an earlier run that died before recording its upload: cleanup must remove it too.
    ctx.uploadedThisRun = true;
    return skipped('upload', `already on the host with the right sha256`, {
      remotePath: path,
      sha256: artifact.sha256,
    });
  }
  const result = await ctx.host.upload(artifact.localPath, path, { mode: 0o644 });
  if (result.sha256 !== artifact.sha256)
    throw new DeployError(
      ctx.host.label,
      'upload',
      `the local file ${artifact.localPath} has sha256 ${result.sha256}, the artifact record says ${artifact.sha256}`,
      'the stored artifact changed on disk: upload it to nutfleet again',
    );
  ctx.uploadedThisRun = true;
  return done('upload', `uploaded ${result.bytes} bytes, sha256 verified on the host`, {
    remotePath: path,
    bytes: result.bytes,
    sha256: result.sha256,
  });
}

export async function runInstall(ctx: StepContext): Promise<DeployStepResult> {
  const artifact = artifactOf(ctx);
  const d = artifact.descriptor;
  if (alreadyInstalled(ctx)) return skipped('install', `${d.vibId} already installed`, { vibId: d.vibId });
  const installed = requireFacts(ctx).installedVersion;
  // `update` only ever moves forward; `install` also replaces a newer version (an explicit downgrade).
  const verb: 'install' | 'update' =
    installed !== undefined && compareDottedVersions(d.version, installed) > 0 ? 'update' : 'install';
  if (installed !== undefined && verb === 'install')
    ctx.warnings.push(`${ctx.host.label}: downgrading ${d.name} from ${installed} to ${d.version}`);
  const path = remotePathOf(ctx);
  const source = artifact.kind === 'vib' ? { vib: path } : { depot: path, names: [d.name] };
  const run = verb === 'update' ? esxcli.vibUpdate : esxcli.vibInstall;
  const result = await run(ctx.host, { source, noSigCheck: artifact.kind === 'vib' });
  if (!result.vibsInstalled.includes(d.vibId))
    throw new DeployError(
      ctx.host.label,
      'install',
      `esxcli ${verb} reported "${result.message}" without installing ${d.vibId} (installed: ${result.vibsInstalled.join(', ') || 'none'}, skipped: ${result.vibsSkipped.join(', ') || 'none'})`,
      'check the VIB and the host with "esxcli software vib get -n upsmon"',
    );
  ctx.changed = true;
  if (result.rebootRequired) ctx.warnings.push(`${ctx.host.label}: ESXi reports that a reboot is required`);
  return done('install', `${verb === 'update' ? 'updated' : 'installed'} ${d.vibId}`, {
    verb,
    previousVersion: installed ?? null,
    message: result.message,
    vibsInstalled: [...result.vibsInstalled],
    vibsRemoved: [...result.vibsRemoved],
    rebootRequired: result.rebootRequired,
  });
}

export async function runCleanup(ctx: StepContext, uploadedEarlier: boolean): Promise<DeployStepResult> {
  if (!ctx.uploadedThisRun && !uploadedEarlier) return skipped('cleanup', 'nothing was uploaded');
  const path = remotePathOf(ctx);
  const result = await ctx.host.exec(['rm', '-f', path]);
  if (result.code !== 0) {
    ctx.warnings.push(`${ctx.host.label}: could not remove ${path}: ${result.stderr.trim()}`);
    return skipped('cleanup', `could not remove ${path}`, { remotePath: path, stderr: result.stderr.trim() });
  }
  return done('cleanup', `removed ${path}`, { remotePath: path });
}

export async function runStopService(ctx: StepContext): Promise<DeployStepResult> {
  if (requireFacts(ctx).installedVersion === undefined)
    return skipped('stop-service', `${ctx.vibName} is not installed`);
  const status = await hostServices.upsmonStatus(ctx.host);
  if (!status.running) return skipped('stop-service', 'NutClient service not running');
  const message = await hostServices.upsmonControl(ctx.host, 'stop');
  return done('stop-service', message || 'NutClient stopped', { message });
}

export async function runRemove(ctx: StepContext): Promise<DeployStepResult> {
  const facts = requireFacts(ctx);
  const installed = facts.installedVibId === undefined ? undefined : { id: facts.installedVibId };
  if (!installed) return skipped('remove', `${ctx.vibName} is not installed`);
  const result = await esxcli.vibRemove(ctx.host, ctx.vibName);
  if (!result.vibsRemoved.includes(installed.id))
    throw new DeployError(
      ctx.host.label,
      'remove',
      `esxcli reported "${result.message}" without removing ${installed.id}`,
      'check the host with "esxcli software vib list"',
    );
  ctx.changed = true;
  return done('remove', `removed ${installed.id}`, {
    message: result.message,
    vibsRemoved: [...result.vibsRemoved],
    rebootRequired: result.rebootRequired,
  });
}
