/**
 * A host's desired `UserVars.Nut*`, derived from the inventory: its power feeds, the NUT servers'
 * monitoring credentials, its minSupplies, its policy (fallback timing) and optional mail
 * settings. Returns every problem at once instead of the first, and never guesses: a choice the
 * VIB cannot express (two credential pairs, power values other than 1) is reported.
 */
import { type ShutdownPolicy } from '@nutfleet/power';
import {
  type AdoptedFallbackTiming,
  computeFallbackTiming,
  DEFAULT_FALLBACK_MARGIN_SECONDS,
  FINAL_DELAY_MAX,
  type FallbackTiming,
  standaloneOnBatterySeconds,
} from './fallback-timing';
import { nutUserVarDefinitions, type NutUserVarName, type NutUserVars } from './nut-user-var.definitions';
import { type UserVarProblem, validateUserVars } from './user-vars.validator';

export const NUT_DEFAULT_PORT = 3493;

export interface NutServerCredentials {
  readonly username: string;
  readonly password: string;
}

export interface HostPowerFeed {
  readonly upsName: string;
  /** NUT power value of this supply for the host; the VIB declares every MONITOR with 1. */
  readonly powerValue?: number;
  readonly nutServer: {
    /** For messages only (inventory name). */
    readonly name: string;
    readonly host: string;
    readonly port: number;
    /** Decrypted monitoring credentials; undefined when the server has none stored. */
    readonly credentials: NutServerCredentials | undefined;
  };
}

export interface MailSettings {
  readonly to: string;
  /** Relay host; omitted = direct MX delivery ("none"). */
  readonly smtpRelay?: string;
  /** NutSendMail 2: a full upsc dump in each mail (NutClient 2.6.0+). */
  readonly verbose?: boolean;
  /** Where these settings come from, for the reasons ("the fleet default", "group edge"). */
  readonly source?: string;
}

export interface DesiredUserVarsInput {
  /** Version of the VIB that will be on the host (`2.8.5-2.7.3`). */
  readonly vibVersion: string;
  readonly hostName: string;
  readonly minSupplies: number;
  readonly feeds: readonly HostPowerFeed[];
  readonly policy: Pick<ShutdownPolicy, 'triggers'> & { readonly name?: string };
  readonly plannedShutdownDeadlineSeconds: number;
  /** Why the deadline is what it is (`describeShutdownDeadline`), for the NutFinalDelay reason. */
  readonly plannedShutdownDeadlineWhy?: string;
  readonly fallbackMarginSeconds?: number;
  /** The timing the host ran when adopted (set by hand): kept where safe (`computeFallbackTiming`). */
  readonly adopted?: AdoptedFallbackTiming;
  /** Absent: mail notifications off (NutSendMail 0), address and relay left as they are. */
  readonly mail?: MailSettings;
  /** Why there is no `mail` (e.g. "no fleet default and no group override"), for the reasons. */
  readonly mailOffWhy?: string;
}

/** One sentence per desired option: where its value comes from. */
export type UserVarReasons = { readonly [K in NutUserVarName]?: string };

export type DesiredUserVarsResult =
  | {
      readonly ok: true;
      readonly userVars: NutUserVars;
      /** Why each value is what it is (never the password). */
      readonly reasons: UserVarReasons;
      readonly timing: FallbackTiming;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly UserVarProblem[] };

export function upsSpec(feed: HostPowerFeed): string {
  const host =
    feed.nutServer.host.includes(':') && !feed.nutServer.host.startsWith('[')
      ? `[${feed.nutServer.host}]`
      : feed.nutServer.host;
  return `${feed.upsName}@${host}${feed.nutServer.port === NUT_DEFAULT_PORT ? '' : `:${feed.nutServer.port}`}`;
}

export function buildDesiredUserVars(input: DesiredUserVarsInput): DesiredUserVarsResult {
  const problems: UserVarProblem[] = [];
  const warnings: string[] = [];
  const where = `host ${input.hostName}`;

  if (input.feeds.length === 0)
    problems.push({
      field: 'feeds',
      code: 'no-feeds',
      message: `${where} has no power feed: nothing for the NUT client to monitor`,
    });

  const upsNames: string[] = [];
  input.feeds.forEach((feed, i) => {
    const spec = upsSpec(feed);
    if (!upsNames.includes(spec)) upsNames.push(spec);
    if ((feed.powerValue ?? 1) !== 1)
      problems.push({
        field: `feeds[${i}].powerValue`,
        code: 'not-expressible',
        message: `${where}: feed ${spec} has power value ${String(feed.powerValue)}, but the VIB monitors every UPS with power value 1`,
      });
  });

  // One NutUser/NutPassword pair serves every server: several distinct pairs cannot be expressed.
  const servers = new Map<string, HostPowerFeed['nutServer']>();
  for (const feed of input.feeds) servers.set(`${feed.nutServer.host}:${feed.nutServer.port}`, feed.nutServer);
  const withoutCredentials = [...servers.values()].filter((s) => s.credentials === undefined);
  for (const server of withoutCredentials)
    problems.push({
      field: `nutServers[${server.name}].credentials`,
      code: 'missing-credentials',
      message: `NUT server ${server.name} has no monitoring user/password; the host's upsmon must log in to it`,
    });
  const pairs = new Map<string, string[]>();
  for (const server of servers.values()) {
    if (!server.credentials) continue;
    const key = JSON.stringify([server.credentials.username, server.credentials.password]);
    pairs.set(key, [...(pairs.get(key) ?? []), server.name]);
  }
  if (pairs.size > 1)
    problems.push({
      field: 'nutServers.credentials',
      code: 'credential-conflict',
      message:
        `${where} is fed by NUT servers with different monitoring credentials (${[...pairs.values()].map((names) => names.join(' + ')).join(' vs ')}); ` +
        `the VIB uses one NutUser/NutPassword for all servers: give them a common monitoring user`,
    });
  const credentials = [...servers.values()].find((s) => s.credentials)?.credentials;

  const definitions = nutUserVarDefinitions(input.vibVersion);
  const has = (name: string): boolean => definitions.some((d) => d.name === name);
  if (input.minSupplies > upsNames.length && upsNames.length > 0)
    problems.push({
      field: 'minSupplies',
      code: 'out-of-range',
      message: `${where} needs ${input.minSupplies} supplies but has ${upsNames.length} UPS feed(s): upsmon refuses to start when MINSUPPLIES exceeds the monitored power`,
    });
  if (!has('NutMinSupplies') && input.minSupplies !== 1)
    problems.push({
      field: 'minSupplies',
      code: 'not-in-vib-version',
      message: `NutClient ${input.vibVersion} has no NutMinSupplies (added in 2.2.0) but ${where} needs ${input.minSupplies}`,
    });

  let timing: FallbackTiming | undefined;
  try {
    timing = computeFallbackTiming({
      policy: input.policy,
      plannedShutdownDeadlineSeconds: input.plannedShutdownDeadlineSeconds,
      ...(input.fallbackMarginSeconds === undefined ? {} : { marginSeconds: input.fallbackMarginSeconds }),
      ...(input.adopted === undefined ? {} : { adopted: input.adopted }),
    });
    warnings.push(...timing.warnings);
  } catch (err) {
    problems.push({
      field: 'plannedShutdownDeadlineSeconds',
      code: 'out-of-range',
      message: err instanceof Error ? err.message : String(err),
    });
  }

  const values: Record<string, string | number> = { NutUpsName: upsNames.join(' ') };
  if (credentials) {
    values['NutUser'] = credentials.username;
    values['NutPassword'] = credentials.password;
  }
  if (has('NutMinSupplies')) values['NutMinSupplies'] = input.minSupplies;
  if (timing) {
    values['NutFinalDelay'] = timing.finalDelaySeconds;
    if (has('NutOnBatteryDelay')) values['NutOnBatteryDelay'] = timing.onBatteryDelaySeconds;
    else if (timing.onBatteryDelaySeconds > 0)
      warnings.push(
        `NutClient ${input.vibVersion} has no NutOnBatteryDelay (2.4.0+): its fallback waits for low battery only`,
      );
  }
  if (input.mail) {
    values['NutSendMail'] = input.mail.verbose ? 2 : 1;
    values['NutMailTo'] = input.mail.to;
    if (has('NutSmtpRelay')) values['NutSmtpRelay'] = input.mail.smtpRelay ?? 'none';
    else if (input.mail.smtpRelay !== undefined)
      problems.push({
        field: 'mail.smtpRelay',
        code: 'not-in-vib-version',
        message: `NutClient ${input.vibVersion} has no NutSmtpRelay (added in 2.6.0)`,
      });
  } else values['NutSendMail'] = 0;

  // Range and character checks on the assembled values (upsNames empty is reported as no-feeds).
  for (const problem of validateUserVars(input.vibVersion, values))
    if (!(problem.field === 'NutUpsName' && upsNames.length === 0)) problems.push(problem);

  if (problems.length > 0) return { ok: false, problems };
  const settled = timing as FallbackTiming;
  return {
    ok: true,
    userVars: values as NutUserVars,
    reasons: userVarReasons(input, values, settled),
    timing: settled,
    warnings,
  };
}

function userVarReasons(
  input: DesiredUserVarsInput,
  values: Readonly<Record<string, string | number>>,
  timing: FallbackTiming,
): UserVarReasons {
  const reasons: Partial<Record<NutUserVarName, string>> = {};
  const set = (name: NutUserVarName, why: string): void => {
    if (values[name] !== undefined) reasons[name] = why;
  };
  set(
    'NutUpsName',
    `the host's power feeds: ${input.feeds.map((f) => `${upsSpec(f)} (NUT server ${f.nutServer.name})`).join(', ')}`,
  );
  const server = input.feeds.find((f) => f.nutServer.credentials)?.nutServer.name;
  set('NutUser', `the monitoring user of NUT server ${server ?? '?'}`);
  set('NutPassword', `the monitoring password of NUT server ${server ?? '?'} (never shown)`);
  set('NutMinSupplies', `the host's minSupplies (${input.minSupplies})`);
  const policy = input.policy.name === undefined ? 'its policy' : `policy "${input.policy.name}"`;
  const confirm = input.policy.triggers.lowBatteryConfirmSeconds;
  const margin = input.fallbackMarginSeconds ?? DEFAULT_FALLBACK_MARGIN_SECONDS;
  const deadline = input.plannedShutdownDeadlineSeconds;
  const wanted = Math.ceil(confirm + deadline + margin);
  const computedFinal =
    `L + D + M = ${confirm} + ${deadline} + ${margin} = ${wanted} s` +
    (wanted > FINAL_DELAY_MAX ? `, capped at the VIB's maximum ${FINAL_DELAY_MAX} s` : '') +
    ': after low battery the host’s own client waits until nutfleet’s plan would have powered it off. ' +
    `L: ${policy} confirms low battery for ${confirm} s; ` +
    `D: its power-off deadline in nutfleet's plan, ${input.plannedShutdownDeadlineWhy ?? `${deadline} s`}; ` +
    `M: ${margin} s for polling, decision, job pickup and SSH`;
  const adoptedFinal = timing.adopted?.finalDelay ?? null;
  set(
    'NutFinalDelay',
    adoptedFinal === null
      ? computedFinal
      : adoptedFinal.kept
        ? `${adoptedFinal.why}. nutfleet's minimum: ${computedFinal}`
        : `${computedFinal}. Adopted value: ${adoptedFinal.why}`,
  );
  const onBattery = standaloneOnBatterySeconds(input.policy);
  const computedOnBattery =
    onBattery === undefined
      ? `0 (wait for low battery): ${policy} has no time-on-battery trigger of its own, so nutfleet waits for low battery too`
      : `T + D + M − NutFinalDelay = ${onBattery} + ${deadline} + ${margin} − ${timing.finalDelaySeconds} = ${timing.onBatteryDelaySeconds} s ` +
        `(at least 1): ${policy} shuts down after ${onBattery} s on battery; the host's own client then still waits NutFinalDelay, ` +
        'so it acts only after nutfleet’s plan would have finished';
  const adoptedOnBattery = timing.adopted?.onBatteryDelay ?? null;
  set(
    'NutOnBatteryDelay',
    adoptedOnBattery === null
      ? computedOnBattery
      : adoptedOnBattery.kept
        ? adoptedOnBattery.why
        : `${computedOnBattery}. Adopted value: ${adoptedOnBattery.why}`,
  );
  if (input.mail) {
    const from = input.mail.source ?? 'the mail settings';
    set(
      'NutSendMail',
      `${values['NutSendMail']} (${input.mail.verbose ? 'verbose mail with the UPS status' : 'mail'}): from ${from}`,
    );
    set('NutMailTo', `from ${from}`);
    set(
      'NutSmtpRelay',
      input.mail.smtpRelay === undefined
        ? `none (direct delivery to the recipient's MX): from ${from}`
        : `from ${from}`,
    );
  } else set('NutSendMail', `0 (no mail from the host): ${input.mailOffWhy ?? 'no mail settings'}`);
  return reasons;
}
