import { type Host } from '@nutfleet/db';

import { HostPowerStore } from './host-power.store';
import { OutageStore } from './outage.store';
import { PendingStepsStore } from './pending-steps.store';
import { type PlanDatabase } from './plan-database';
import { PlanReadsStore } from './plan-reads.store';
import { PlanWritesStore } from './plan-writes.store';
import { RolloutPlanStore } from './rollout-plan.store';
import { StepExecutionStore } from './step-execution.store';

/**
 * The one store of Plan and PlanStep: every statement on those tables, from either app, lives
 * behind it. Its parts by who uses them: `execution` (the worker running shutdown and restart
 * steps: the hot path), `writes` (the orchestrator making, extending and cancelling plans),
 * `reads` (planners, API, metrics, notifications), `rollouts` (rollout plans, both apps),
 * `outages` (the outage records that own automatic plans), `hostPower` (each host's power
 * state, established by plan results, discovery and probes) and `pending` (a new plan's steps
 * written after its first ones).
 */
export class PlanStore<HostColumn extends keyof Host = never> {
  public readonly execution: StepExecutionStore<HostColumn>;
  public readonly writes: PlanWritesStore;
  public readonly reads: PlanReadsStore;
  public readonly rollouts: RolloutPlanStore;
  public readonly outages: OutageStore;
  public readonly hostPower: HostPowerStore;
  public readonly pending: PendingStepsStore;

  /** `hostColumns`: the Host columns a step claim returns (what reaching the host needs). */
  public constructor(db: PlanDatabase, options: { hostColumns?: readonly HostColumn[] } = {}) {
    this.execution = new StepExecutionStore(db, options.hostColumns ?? []);
    this.writes = new PlanWritesStore(db);
    this.reads = new PlanReadsStore(db);
    this.rollouts = new RolloutPlanStore(db);
    this.outages = new OutageStore(db);
    this.hostPower = new HostPowerStore(db);
    this.pending = new PendingStepsStore(db);
  }
}
