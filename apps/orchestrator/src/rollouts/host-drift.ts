import { type HostFacts, isHostFacts } from '@nutfleet/db';
import { diffUserVars, type NutUserVars, redactDiff, type UserVarChange } from '@nutfleet/vib';

import { type HostDesiredConfig } from './desired-config.service';

/** Options whose desired value follows the host's power-off deadline in nutfleet's plan. */
const TIMING_OPTIONS: readonly string[] = ['NutFinalDelay', 'NutOnBatteryDelay'];

export interface HostDrift {
  readonly hostId: string;
  readonly hostName: string;
  readonly drifted: boolean;
  /** One line per difference, for people. */
  readonly reasons: readonly string[];
  readonly installedVersion: string | null;
  readonly desiredVersion: string | null;
  /** Redacted: NutPassword appears as "***". */
  readonly userVarChanges: readonly UserVarChange[];
  readonly problems: readonly string[];
}

/**
 * How a host differs from what it should be, from its last discovery. The version is compared only
 * when a desired version is given (an artifact). Discovery never records the NUT password's value
 * (only whether it is set), so NutPassword drifts only when it is unset; hosts never discovered
 * count as drifted (nothing says they are right).
 */
export function hostDrift(facts: unknown, desired: HostDesiredConfig, desiredVersion: string | null): HostDrift {
  const base = { hostId: desired.hostId, hostName: desired.hostName, desiredVersion };
  if (!isHostFacts(facts))
    return {
      ...base,
      drifted: true,
      reasons: ['never discovered: run POST /hosts/:id/discover'],
      installedVersion: null,
      userVarChanges: [],
      problems: [],
    };
  // What the last read of the VIB or its UserVars could not say is not known to be in sync.
  const reasons: string[] = (['nutClient', 'nutUserVars'] as const).flatMap((read) => {
    const status = facts.reads[read];
    return status.state === 'failed'
      ? [
          `${read} unknown: its last read failed (${status.error.code}: ${status.error.message})` +
            (status.valueReadAt ? `; compared below with the value read at ${status.valueReadAt}` : ''),
        ]
      : [];
  });
  const installed = facts.nutClient?.installed ? facts.nutClient.version : null;
  if (desiredVersion !== null && facts.nutClient !== null && installed !== desiredVersion)
    reasons.push(
      installed === null
        ? `NutClient not installed (desired ${desiredVersion})`
        : `NutClient ${installed} installed, desired ${desiredVersion}`,
    );
  if (!desired.ok) {
    return {
      ...base,
      drifted: reasons.length > 0,
      reasons,
      installedVersion: installed,
      userVarChanges: [],
      problems: desired.problems.map((p) => `${p.field}: ${p.message}`),
    };
  }
  const { current, present } = currentUserVars(facts, desired.userVars);
  const diff = redactDiff(diffUserVars(current, desired.userVars, installed === null ? undefined : present));
  for (const c of diff.changes) {
    // The timing options move with the host's deadline: say what it is counted from now.
    const why = TIMING_OPTIONS.includes(c.name) ? desired.reasons[c.name] : undefined;
    reasons.push(
      `${c.name}: ${String(c.from ?? '(unset)')} → ${String(c.to)}${why ? ` — ${c.to} because ${why}` : ''}`,
    );
  }
  if (installed === null && desiredVersion === null && facts.nutClient !== null)
    reasons.push('NutClient not installed');
  return {
    ...base,
    drifted: reasons.length > 0,
    reasons,
    installedVersion: installed,
    userVarChanges: diff.changes,
    problems: [],
  };
}

function currentUserVars(facts: HostFacts, desired: NutUserVars): { current: NutUserVars; present: Set<string> } {
  const current: Record<string, string | number> = {};
  const present = new Set<string>();
  for (const [name, fact] of Object.entries(facts.nutUserVars ?? {})) {
    present.add(name);
    if (fact.type === 'secret') {
      // Only "set or not" is known: a set password is assumed right.
      if (fact.set && desired.NutPassword !== undefined) current[name] = desired.NutPassword;
    } else if (fact.value !== null) current[name] = fact.value;
  }
  return { current: current as NutUserVars, present };
}
