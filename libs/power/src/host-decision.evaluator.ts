import { minOf } from '@nutfleet/runtime';

import { type Reason } from './decision-reason';
import { type HostInventory, type PowerFeed } from './fleet-inventory';
import { PowerInputError } from './power-input.error';
import { type ShutdownPolicy } from './shutdown-policy';
import { type SupplyAssessment, evaluateSupply } from './shutdown-trigger.evaluator';
import { computeSupplyRedundancy } from './supply-redundancy';
import { type EpochMs, formatInstant } from './time';
import { type UpsHistory, type UpsId } from './ups-observation';

export interface HostSupply extends SupplyAssessment {
  readonly powerValue: number;
}

/** Whether one host must go down now, and why, in words an operator can check. */
export interface HostDecision {
  readonly hostId: string;
  readonly hostName: string;
  readonly policyId: string;
  readonly critical: boolean;
  readonly healthyPower: number;
  readonly totalPower: number;
  readonly minSupplies: number;
  readonly supplies: readonly HostSupply[];
  /** When the host turns critical if nothing but time changes (e.g. the on-battery timer). */
  readonly becomesCriticalAt?: EpochMs;
  /** Earliest instant worth re-evaluating even if no new observation arrives. */
  readonly nextEvaluationAt?: EpochMs;
  /** One-line verdict, then the per-UPS reasons. */
  readonly summary: string;
  readonly reasons: readonly Reason[];
}

export interface HostDecisionInput {
  readonly host: HostInventory;
  /** Feeds of this host (others are ignored). */
  readonly feeds: readonly PowerFeed[];
  readonly histories: ReadonlyMap<UpsId, UpsHistory>;
  readonly policy: ShutdownPolicy;
  readonly now: EpochMs;
  /** Per UPS: on-battery timers start no earlier than this (a new outage after a restart). */
  readonly timersFrom?: ReadonlyMap<UpsId, EpochMs>;
  /**
   * Assessments already made in this evaluation, by policy and UPS (see `supplyKey`): a UPS
   * feeding 1,000 hosts of one policy is judged once, not 1,000 times (decideFleet shares one).
   */
  readonly assessed?: Map<string, SupplyAssessment>;
}

/** The key of one UPS's assessment under one policy: all it depends on besides the shared inputs. */
function supplyKey(policyId: string, upsId: UpsId): string {
  return `${policyId}\u0000${upsId}`;
}

/**
 * A host is critical when the power values of its healthy supplies add up to less than its
 * `minSupplies`, a supply being healthy unless its policy's trigger holds on that UPS.
 * Throws PowerInputError when the host can never be satisfied (upsmon refuses to start then).
 */
export function decideHost(input: HostDecisionInput): HostDecision {
  const { host, policy } = input;
  const feeds = input.feeds.filter((f) => f.hostId === host.id);
  validateHost(host, feeds);

  const supplies: HostSupply[] = feeds
    .slice()
    .sort((a, b) => a.upsId.localeCompare(b.upsId))
    .map((feed) => ({ ...assess(input, feed.upsId), powerValue: feed.powerValue }));
  const redundancy = computeSupplyRedundancy(supplies, host.minSupplies);

  const reasons: Reason[] = [];
  let summary: string;
  if (host.minSupplies === 0) {
    summary = `${host.name}: minSupplies is 0, the host is never shut down by power events`;
    reasons.push({ code: 'MIN_SUPPLIES_ZERO', message: summary });
  } else if (redundancy.insufficient) {
    const down = supplies.filter((s) => s.critical).map((s) => s.upsId);
    summary = `${host.name}: CRITICAL, healthy power ${redundancy.healthyPower} < minSupplies ${host.minSupplies} (critical: ${down.join(', ')})`;
    reasons.push({
      code: 'SUPPLIES_INSUFFICIENT',
      message: summary,
      values: { healthyPower: redundancy.healthyPower, minSupplies: host.minSupplies },
    });
  } else {
    const when =
      redundancy.insufficientAt === undefined
        ? ''
        : `; critical at ${formatInstant(redundancy.insufficientAt)} if nothing changes`;
    summary = `${host.name}: safe, healthy power ${redundancy.healthyPower} ≥ minSupplies ${host.minSupplies}${when}`;
    reasons.push({
      code: 'SUPPLIES_SUFFICIENT',
      message: summary,
      values: { healthyPower: redundancy.healthyPower, minSupplies: host.minSupplies },
    });
  }
  for (const supply of supplies) reasons.push(...supply.reasons);

  const changes = supplies.map((s) => s.nextChangeAt).filter((at): at is EpochMs => at !== undefined);
  return {
    hostId: host.id,
    hostName: host.name,
    policyId: policy.id,
    critical: redundancy.insufficient,
    healthyPower: redundancy.healthyPower,
    totalPower: redundancy.totalPower,
    minSupplies: host.minSupplies,
    supplies,
    becomesCriticalAt: redundancy.insufficientAt,
    nextEvaluationAt: minOf(changes),
    summary,
    reasons,
  };
}

function assess(input: HostDecisionInput, upsId: UpsId): SupplyAssessment {
  const key = supplyKey(input.policy.id, upsId);
  const known = input.assessed?.get(key);
  if (known !== undefined) return known;
  const assessment = evaluateSupply(
    upsId,
    input.histories.get(upsId),
    input.policy,
    input.now,
    input.timersFrom?.get(upsId),
  );
  input.assessed?.set(key, assessment);
  return assessment;
}

function validateHost(host: HostInventory, feeds: readonly PowerFeed[]): void {
  const where = `hosts[${host.id}]`;
  if (!(Number.isInteger(host.minSupplies) && host.minSupplies >= 0)) {
    throw new PowerInputError(`${where}.minSupplies`, `must be an integer ≥ 0, got ${String(host.minSupplies)}`);
  }
  const seen = new Set<UpsId>();
  for (const feed of feeds) {
    if (!(Number.isInteger(feed.powerValue) && feed.powerValue >= 0)) {
      throw new PowerInputError(
        `feeds[${host.id}→${feed.upsId}].powerValue`,
        `must be an integer ≥ 0, got ${String(feed.powerValue)}`,
      );
    }
    if (seen.has(feed.upsId))
      throw new PowerInputError(`feeds[${host.id}→${feed.upsId}]`, 'the same UPS feeds this host twice');
    seen.add(feed.upsId);
  }
  const total = feeds.reduce((acc, f) => acc + f.powerValue, 0);
  if (host.minSupplies > total) {
    throw new PowerInputError(
      `${where}.minSupplies`,
      `${host.minSupplies} exceeds the total power value of its feeds (${total}): the host could never be kept up (upsmon refuses such a configuration)`,
    );
  }
}
