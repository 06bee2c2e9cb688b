import { minOf } from '@nutfleet/runtime';

import { feedsByHost, type HostInventory, type PowerFeed } from './fleet-inventory';
import { type HostDecision, decideHost } from './host-decision.evaluator';
import { PowerInputError } from './power-input.error';
import { type ShutdownPolicy } from './shutdown-policy';
import { type SupplyAssessment } from './shutdown-trigger.evaluator';
import { type EpochMs } from './time';
import { type UpsHistory, type UpsId } from './ups-observation';

export interface FleetDecisionInput {
  readonly hosts: readonly HostInventory[];
  readonly feeds: readonly PowerFeed[];
  readonly histories: readonly UpsHistory[];
  /** Resolved policies (see `resolveShutdownPolicy`), by id. */
  readonly policies: readonly ShutdownPolicy[];
  readonly now: EpochMs;
  /** Per UPS: on-battery timers start no earlier than this (a new outage after a restart). */
  readonly timersFrom?: ReadonlyMap<UpsId, EpochMs>;
}

export interface FleetDecision {
  readonly now: EpochMs;
  /** Sorted by host id so two runs on the same data compare equal. */
  readonly hosts: readonly HostDecision[];
  readonly criticalHostIds: readonly string[];
  /** Earliest instant any host's verdict may change by time alone. */
  readonly nextEvaluationAt?: EpochMs;
  /** Hosts that could not be judged; they are left alone rather than shut down on bad data. */
  readonly errors: ReadonlyArray<{ readonly hostId: string; readonly error: PowerInputError }>;
}

/** Runs `decideHost` over a fleet. One misconfigured host never blocks the others' decisions. */
export function decideFleet(input: FleetDecisionInput): FleetDecision {
  const histories = new Map<UpsId, UpsHistory>(input.histories.map((h) => [h.upsId, h]));
  const policies = new Map(input.policies.map((p) => [p.id, p]));
  const feedsOf = feedsByHost(input.feeds);
  // One assessment per UPS and policy for the whole fleet: they depend on nothing of the host.
  const assessed = new Map<string, SupplyAssessment>();

  const decisions: HostDecision[] = [];
  const errors: Array<{ hostId: string; error: PowerInputError }> = [];
  for (const host of [...input.hosts].sort((a, b) => a.id.localeCompare(b.id))) {
    const policy = policies.get(host.policyId);
    try {
      if (policy === undefined)
        throw new PowerInputError(`hosts[${host.id}].policyId`, `no policy with id "${host.policyId}"`);
      decisions.push(
        decideHost({
          host,
          feeds: feedsOf.get(host.id) ?? [],
          histories,
          policy,
          now: input.now,
          ...(input.timersFrom ? { timersFrom: input.timersFrom } : {}),
          assessed,
        }),
      );
    } catch (error) {
      if (!(error instanceof PowerInputError)) throw error;
      errors.push({ hostId: host.id, error });
    }
  }
  const next = decisions.map((d) => d.nextEvaluationAt).filter((at): at is EpochMs => at !== undefined);
  return {
    now: input.now,
    hosts: decisions,
    criticalHostIds: decisions.filter((d) => d.critical).map((d) => d.hostId),
    nextEvaluationAt: minOf(next),
    errors,
  };
}
