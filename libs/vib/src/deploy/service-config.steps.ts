/**
 * Steps that configure and check the NutClient service: set the UserVars that differ (validated
 * against the installed VIB version first, so a bad value never reaches the host), restart the
 * service so it re-reads them, then verify version, service and that the host itself can query
 * each of its UPSes with upsc.
 */
import { AdvancedOptionNotFoundError, esxcli, hostServices, VibNotFoundError } from '@nutfleet/esxi';
import { type NutUserVars, userVarPath, type NutUserVarName } from '../config/nut-user-var.definitions';
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

async function readUserVars(
  host: DeployTarget,
  names: readonly NutUserVarName[],
): Promise<ReturnType<typeof userVarsFromAdvancedOptions>> {
  const options = await Promise.all(
    names.map(async (name) => {
      try {
        return await esxcli.advancedList(host, userVarPath(name));
      } catch (err) {
        if (err instanceof AdvancedOptionNotFoundError) return [];
        throw err;
      }
    }),
  );
  return userVarsFromAdvancedOptions(options.flat());
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

export async function runVerify(ctx: StepContext): Promise<DeployStepResult> {
  const host = ctx.host;
  if (ctx.options.action === 'uninstall') {
    try {
      const vib = await esxcli.vibGet(host, ctx.vibName);
      throw new DeployVerificationError(
        host.label,
        `${vib.id} is still installed`,
        'check "esxcli software vib list" on the host',
      );
    } catch (err) {
      if (err instanceof VibNotFoundError) return done('verify', `${ctx.vibName} is not installed`);
      throw err;
    }
  }
  const expected = targetVersion(ctx);
  const vib = await esxcli.vibGet(host, ctx.vibName).catch((err: unknown) => {
    if (err instanceof VibNotFoundError)
      throw new DeployVerificationError(host.label, `${ctx.vibName} is not installed`, 'run the install again', err);
    throw err;
  });
  if (vib.version !== expected)
    throw new DeployVerificationError(
      host.label,
      `installed version is ${vib.version}, expected ${expected}`,
      'run the install again; if it persists, check "esxcli software vib get -n upsmon"',
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
  return done('verify', `${vib.id} installed, service running, ${upses.length} UPS(es) reachable`, {
    vibId: vib.id,
    serviceMessage: status.message,
    upses: statuses,
  });
}

async function upsList(ctx: StepContext): Promise<string[]> {
  let names = ctx.options.userVars?.NutUpsName;
  if (names === undefined) names = (await readUserVars(ctx.host, ['NutUpsName'])).values.NutUpsName ?? '';
  return names.split(' ').filter((n) => n !== '');
}

export type { NutUserVars };
