/**
 * Steps that configure and check the NutClient service: set the UserVars that differ (validated
 * against the installed VIB version first, so a bad value never reaches the host), restart the
 * service so it re-reads them, then verify version, service and that the host itself can query
 * each of its UPSes with upsc.
 */
import { type AdvancedOption, esxcli, hostServices } from '@nutfleet/esxi';
import { type NutUserVars, userVarPath, type NutUserVarName } from '../config/nut-user-var.definitions';
import { type ObservedNutUserVar, observeNutUserVars } from '../config/observed-user-vars';
import { diffUserVars, redactDiff, SECRET_USER_VARS, userVarsFromAdvancedOptions } from '../config/uservars.diff';
import { assertValidUserVars } from '../config/user-vars.validator';
import { DeployVerificationError } from './deploy.errors';
import { type DeployStepResult, type DeployTarget } from './deploy.types';
import { done, requireFacts, skipped, type StepContext } from './step-context';

export const UPSC_PATH = '/opt/nut/bin/upsc';

/** The version the host has (or will have once this run's install step is done). */
function targetVersion(ctx: StepContext): string {
  return ctx.options.artifact?.descriptor.version ?? requireFacts(ctx).installedVersion ?? '';
}

/** Refuses invalid values before any command is sent (called at the start of the run too). */
export function checkDesiredUserVars(ctx: StepContext, version: string): void {
  if (ctx.options.userVars)
    assertValidUserVars(version, ctx.options.userVars, `${ctx.host.label}: desired UserVars refused`);
}

/**
 * The named options as esxcli lists them; an option the host lacks is left out. One command for
 * the whole /UserVars tree (as verify reads them back), not one per option: a rollout's hosts
 * answer 8 fewer commands each.
 */
async function listUserVars(host: DeployTarget, names: readonly NutUserVarName[]): Promise<AdvancedOption[]> {
  const wanted = new Set<string>(names.map((name) => userVarPath(name)));
  return (await esxcli.advancedListTree(host, '/UserVars')).filter((option) => wanted.has(option.path));
}

async function readUserVars(
  host: DeployTarget,
  names: readonly NutUserVarName[],
): Promise<ReturnType<typeof userVarsFromAdvancedOptions>> {
  return userVarsFromAdvancedOptions(await listUserVars(host, names));
}

export async function runConfigure(ctx: StepContext): Promise<DeployStepResult> {
  const desired = ctx.options.userVars;
  if (!desired || Object.keys(desired).length === 0) return skipped('configure', 'no UserVars to manage');
  checkDesiredUserVars(ctx, targetVersion(ctx));
  const names = (Object.keys(desired) as NutUserVarName[]).filter((n) => desired[n] !== undefined);
  const current = await readUserVars(ctx.host, names);
  const diff = diffUserVars(current.values, desired, current.present);
  if (diff.missingOnHost.length > 0)
    throw new DeployVerificationError(
      ctx.host.label,
      `options ${diff.missingOnHost.join(', ')} do not exist on the host`,
      'the VIB creates them at install: reinstall it, or restart hostd if the options are not visible yet',
    );
  for (const change of diff.changes) {
    if (change.type === 'int') await esxcli.advancedSetInt(ctx.host, userVarPath(change.name), change.to);
    // NutPassword: masked in the command line every error, log and job record may quote.
    else
      await esxcli.advancedSetString(ctx.host, userVarPath(change.name), change.to, {
        secret: SECRET_USER_VARS.has(change.name),
      });
  }
  if (diff.changes.length > 0) ctx.changed = true;
  const shown = redactDiff(diff);
  const output = {
    set: shown.changes.map((c) => ({ name: c.name, from: c.from ?? null, to: c.to })),
    unchanged: [...diff.unchanged],
  };
  return diff.changes.length > 0
    ? done('configure', `set ${diff.changes.map((c) => c.name).join(', ')}`, output)
    : skipped('configure', 'UserVars already as desired', output);
}

/**
 * The init script reads the UserVars only at start. Restarted when this run changed something,
 * when the service is down, or when resuming (an earlier run may have changed values and died
 * before restarting); a fresh run with nothing to change sends only the status check.
 */
export async function runRestartService(ctx: StepContext): Promise<DeployStepResult> {
  const status = await hostServices.upsmonStatus(ctx.host);
  if (!ctx.changed && !ctx.resumed && status.running)
    return skipped('restart-service', 'nothing changed and the service is running', { message: status.message });
  const message = await hostServices.upsmonControl(ctx.host, status.running ? 'restart' : 'start');
  return done('restart-service', status.running ? 'NutClient restarted' : 'NutClient started', { message });
}

/**
 * Reads back what the run was for — the VIB's line in `esxcli software vib list` and every
 * UserVars.Nut* option — checks it against the request, and keeps it in `ctx.observed` for the
 * report (the host's inventory facts take it as read). Then, unless uninstalling, that the
 * service runs and the host itself can query each of its UPSes.
 */
export async function runVerify(ctx: StepContext): Promise<DeployStepResult> {
  const host = ctx.host;
  const [vib, options] = await Promise.all([
    esxcli.vibFind(host, ctx.vibName),
    esxcli.advancedListTree(host, '/UserVars'),
  ]);
  const userVars = observeNutUserVars(options);
  ctx.observed = { vib: vib ?? null, userVars, at: new Date() };
  if (ctx.options.action === 'uninstall') {
    if (vib)
      throw new DeployVerificationError(
        host.label,
        `${ctx.vibName} ${vib.version} is still installed`,
        'check "esxcli software vib list" on the host',
      );
    return done('verify', `${ctx.vibName} is not installed`);
  }
  const expected = targetVersion(ctx);
  if (!vib) throw new DeployVerificationError(host.label, `${ctx.vibName} is not installed`, 'run the install again');
  if (vib.version !== expected)
    throw new DeployVerificationError(
      host.label,
      `installed version is ${vib.version}, expected ${expected}`,
      'run the install again; if it persists, check "esxcli software vib get -n upsmon"',
    );
  const differing = differingUserVars(ctx.options.userVars, userVars);
  if (differing.length > 0)
    throw new DeployVerificationError(
      host.label,
      `UserVars read back differ from the ones set: ${differing.join(', ')}`,
      'another tool or person may be changing them: check "esxcli system settings advanced list -t /UserVars" on the host',
    );
  const status = await hostServices.upsmonStatus(host);
  if (!status.running)
    throw new DeployVerificationError(
      host.label,
      `NutClient service is not running (${status.message})`,
      'read /var/log/syslog.log on the host for upsmon errors (ACCESS-DENIED, bad MINSUPPLIES)',
    );
  const upses = await upsList(ctx);
  const statuses: Array<{ ups: string; status: string }> = [];
  for (const ups of upses) {
    const result = await host.exec([UPSC_PATH, ups, 'ups.status']);
    if (result.code !== 0)
      throw new DeployVerificationError(
        host.label,
        `the host cannot query ${ups}: ${(result.stderr || result.stdout).trim()}`,
        'check the UPS name, that the NUT server is reachable from the host on TCP 3493, and the NutServer firewall ruleset',
      );
    statuses.push({ ups, status: result.stdout.trim() });
  }
  return done('verify', `${ctx.vibName} ${vib.version} installed, service running, ${upses.length} UPS(es) reachable`, {
    vibVersion: vib.version,
    serviceMessage: status.message,
    upses: statuses,
  });
}

/** Names of desired options whose read-back value differs (the password: only whether it is set). */
function differingUserVars(
  desired: NutUserVars | undefined,
  observed: Readonly<Record<string, ObservedNutUserVar>>,
): string[] {
  if (!desired) return [];
  return (Object.entries(desired) as Array<[NutUserVarName, string | number | undefined]>)
    .filter(([name, value]) => {
      if (value === undefined) return false;
      const seen = observed[name];
      if (seen === undefined) return true;
      if (seen.type === 'secret') return seen.set !== (value !== '');
      return seen.value !== value;
    })
    .map(([name]) => name);
}

async function upsList(ctx: StepContext): Promise<string[]> {
  let names = ctx.options.userVars?.NutUpsName;
  if (names === undefined) names = (await readUserVars(ctx.host, ['NutUpsName'])).values.NutUpsName ?? '';
  return names.split(' ').filter((n) => n !== '');
}

export type { NutUserVars };
