import { type EpochMs, formatInstant } from '../time';
import { READINESS_CHECK_CODES, type ReadinessCheckResult } from './fleet-readiness.types';

export interface HostReadinessInput {
  readonly hostId: string;
  readonly groupId: string | null;
  /** The latest result of each check (at most one per code). */
  readonly checks: readonly ReadinessCheckResult[];
}

export interface HostReadiness {
  readonly hostId: string;
  readonly groupId: string | null;
  /** 0–100; null while no check has run on this host yet (a new host, the first pass running). */
  readonly score: number | null;
  /** Failing checks first, then in READINESS_CHECK_CODES order. */
  readonly checks: readonly ReadinessCheckResult[];
}

export interface GroupReadiness {
  readonly groupId: string | null;
  readonly score: number | null;
  readonly hostCount: number;
  readonly failingHostCount: number;
}

export interface FleetReadiness {
  readonly score: number | null;
  /** Lowest score first (hosts not scored yet last), then by host id. */
  readonly hosts: readonly HostReadiness[];
  readonly groups: readonly GroupReadiness[];
}

export interface ReadinessScoreOptions {
  readonly now: EpochMs;
  /**
   * A result older than this is counted as failing: the check stopped running (a worker down,
   * a host removed from the schedule), and an old "ok" proves nothing about the next outage.
   */
  readonly staleAfterSeconds: number;
}

const order = (code: string): number => (READINESS_CHECK_CODES as readonly string[]).indexOf(code);

/** Replaces a stale result by a failing one saying when it last ran. */
function fresh(check: ReadinessCheckResult, options: ReadinessScoreOptions): ReadinessCheckResult {
  if (options.now - check.checkedAt <= options.staleAfterSeconds * 1000) return check;
  return {
    ...check,
    ok: false,
    message: `not checked since ${formatInstant(check.checkedAt)} (last result: ${check.ok ? 'ok' : 'failing'}: ${check.message})`,
  };
}

/**
 * Share of passing checks, 0–100, rounded down so that a host with any failing check never
 * shows 100. Every check weighs the same: each one, failing, is enough to spoil an outage.
 */
export function scoreHost(input: HostReadinessInput, options: ReadinessScoreOptions): HostReadiness {
  const checks = input.checks
    .map((c) => fresh(c, options))
    .sort((a, b) => Number(a.ok) - Number(b.ok) || order(a.code) - order(b.code));
  const score = checks.length === 0 ? null : Math.floor((100 * checks.filter((c) => c.ok).length) / checks.length);
  return { hostId: input.hostId, groupId: input.groupId, score, checks };
}

function mean(scores: readonly (number | null)[]): number | null {
  const known = scores.filter((s): s is number => s !== null);
  if (known.length === 0) return null;
  return Math.floor(known.reduce((sum, s) => sum + s, 0) / known.length);
}

/** Host, group and fleet scores: a group's and the fleet's are the mean of their hosts'. */
export function scoreFleet(hosts: readonly HostReadinessInput[], options: ReadinessScoreOptions): FleetReadiness {
  const scored = hosts
    .map((h) => scoreHost(h, options))
    .sort(
      (a, b) =>
        (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY) ||
        a.hostId.localeCompare(b.hostId),
    );
  const byGroup = new Map<string | null, HostReadiness[]>();
  for (const host of scored) byGroup.set(host.groupId, [...(byGroup.get(host.groupId) ?? []), host]);
  const groups = [...byGroup.entries()]
    .map(([groupId, members]): GroupReadiness => ({
      groupId,
      score: mean(members.map((m) => m.score)),
      hostCount: members.length,
      failingHostCount: members.filter((m) => m.checks.some((c) => !c.ok)).length,
    }))
    .sort(
      (a, b) =>
        (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY) ||
        (a.groupId ?? '').localeCompare(b.groupId ?? ''),
    );
  return { score: mean(scored.map((h) => h.score)), hosts: scored, groups };
}

/**
 * When the scores of these hosts next change by time alone: the first instant a result still
 * fresh at `now` turns stale. Undefined when none will (no result, or all stale already). Until
 * then, scores change only when a result, a host or a group changes.
 */
export function nextStaleAt(
  hosts: readonly Pick<HostReadiness, 'checks'>[],
  options: ReadinessScoreOptions,
): EpochMs | undefined {
  let next: EpochMs | undefined;
  for (const host of hosts)
    for (const check of host.checks) {
      // `fresh` keeps a result up to and including checkedAt + stale: it turns one ms later.
      const turns = check.checkedAt + options.staleAfterSeconds * 1000 + 1;
      if (turns > options.now && (next === undefined || turns < next)) next = turns;
    }
  return next;
}
