import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { Injectable, Logger } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import {
  AUTOMATIC_PLAN_CREATOR,
  PlanHostsHeldError,
  type NewPlan,
  type NewPlanStep,
  type QueuedNewStep,
  type PlanMode,
  readShutdownPlanDetail,
  type ShutdownPlanDetail,
  type ShutdownStepDetail,
  UPS_POWER_CYCLE_ACTION,
  upsPowerCycleKey,
} from '@nutfleet/plan';
import {
  buildShutdownPlan,
  type HostProtectionWarning,
  type ShutdownPlan,
  type StepDurationSample,
  withMeasuredDurations,
} from '@nutfleet/power';
import { jobId, JobName, planStepsJobData, type StepBatch } from '@nutfleet/queue';
import { errorText } from '@nutfleet/runtime';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { JobProducer } from '../queues/job-producer.service';
import {
  type PowerCyclePreview,
  type PowerCycleStepRow,
  PowerCycleStepsLoader,
} from '../power-cycle/power-cycle-steps.loader';
import { type FleetSnapshot, FleetSnapshotLoader } from './fleet-snapshot.loader';
import { firstStepJobs, withFirstStepsQueued } from './first-steps';
import { MeasuredDurationsLoader } from './measured-durations.loader';
import { hostFilter, type PlanTargets } from './plan-targets';

/** An outage plan's other steps wait at most this long for its hosts' first commands to go out. */
export const LATER_STEPS_WAIT_MAX_MS = 5_000;
/** How often the plan's unsent first commands are counted meanwhile. */
const LEADS_OUT_POLL_MS = 100;

/** Hosts another unfinished armed shutdown plan holds. */
export class HostsHeldError extends Error {
  public constructor(public readonly plans: ReadonlyArray<{ planId: string; hosts: number }>) {
    super(
      `an unfinished armed shutdown plan already holds ${plans.map((p) => `${p.hosts} of these host(s) (plan ${p.planId})`).join(', ')}: cancel it or wait until it finishes`,
    );
    this.name = 'HostsHeldError';
  }

  /** From the (plan, host) pairs that hold hosts: the hosts counted by plan. */
  public static of(held: ReadonlyArray<{ readonly planId: string }>): HostsHeldError {
    const byPlan = new Map<string, number>();
    for (const h of held) byPlan.set(h.planId, (byPlan.get(h.planId) ?? 0) + 1);
    return new HostsHeldError([...byPlan].map(([planId, hosts]) => ({ planId, hosts })));
  }
}

export interface CreateShutdownPlanInput {
  readonly hostIds: readonly string[];
  readonly mode: PlanMode;
  readonly reason: string;
  readonly createdBy: string;
  readonly targets: PlanTargets | { readonly automatic: true; readonly outageId?: string };
  /** One plan per key: a second create with the same key returns the first plan. */
  readonly dedupKey?: string;
  /** The outage this plan answers. */
  readonly outageId?: string;
  readonly snapshot?: FleetSnapshot;
  /** Refuse (HostsHeldError) when another unfinished armed shutdown plan holds one of the hosts: checked atomically with the insert. */
  readonly exclusive?: boolean;
  /**
   * Names the hosts nutfleet could not protect, from the plan as built; kept in the plan's detail
   * (`protectionWarnings`). Dry-runs only: an outage's plan is never delayed by it.
   */
  readonly assessProtection?: (plan: ShutdownPlan, snapshot: FleetSnapshot) => Promise<HostProtectionWarning[]>;
}

/**
 * Creates shutdown plans: `buildShutdownPlan()` over the current inventory, then the Plan, each
 * host's first step (QUEUED) and the document of all its other steps in ONE transaction (a plan
 * is never half-written), their `plan.steps` jobs, then the other steps' rows (PendingPlanSteps)
 * and their jobs (a `plan.advance` kick when it has none). If Redis is down they fail; the
 * workers' reconciler writes what is pending and queues or runs the plan from PostgreSQL.
 */
@Injectable()
export class PlanFactory {
  private readonly logger = new Logger(PlanFactory.name);

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly producer: JobProducer,
    private readonly powerCycles: PowerCycleStepsLoader,
    private readonly measurements: MeasuredDurationsLoader,
  ) {}

  public async resolveHostIds(targets: PlanTargets): Promise<string[]> {
    const where = hostFilter(targets);
    if (where === null) return [];
    const rows = await this.prisma.host.findMany({ where, select: { id: true }, orderBy: { name: 'asc' } });
    return rows.map((r) => r.id);
  }

  /** The plan these hosts would get now, and the snapshot it was built from. */
  public async preview(
    hostIds: readonly string[],
    now = Date.now(),
  ): Promise<{ plan: ShutdownPlan; snapshot: FleetSnapshot }> {
    const [snapshot, measured] = await Promise.all([this.snapshots.load(now), this.measurements.load(hostIds)]);
    return { plan: this.build('preview', hostIds, snapshot, measured), snapshot };
  }

  /** The UPS power cycles a previewed plan would end with (timing, hosts it may boot, warnings). */
  public powerCyclesOf(
    plan: ShutdownPlan,
    hostIds: readonly string[],
    snapshot: FleetSnapshot,
  ): Promise<PowerCyclePreview[]> {
    return this.powerCycles.preview(plan, hostIds, snapshot.feeds);
  }

  /** Returns the plan and whether this call created it (false: the dedup key already existed). */
  public async create(input: CreateShutdownPlanInput): Promise<{ planId: string; created: boolean }> {
    if (input.dedupKey !== undefined) {
      const existing = await this.store.reads.findIdByDedupKey(input.dedupKey);
      if (existing !== undefined) return { planId: existing, created: false };
    }
    const [snapshot, measured] = await Promise.all([
      input.snapshot ?? this.snapshots.load(),
      this.measurements.load(input.hostIds),
    ]);
    const planId = crypto.randomUUID();
    const built = this.build(planId, input.hostIds, snapshot, measured);
    const protectionWarnings = input.assessProtection ? await input.assessProtection(built, snapshot) : undefined;
    const cycles = await this.powerCycles.plan(built, input.hostIds, snapshot.feeds);
    const first = withFirstStepsQueued(
      planId,
      [...stepRows(built, 0), ...powerCycleRows(cycles, built.steps.length)],
      randomBytes(4).toString('hex'),
      Date.now(),
    );
    const { queued, ...result } = await this.insert({
      id: planId,
      kind: 'SHUTDOWN',
      mode: input.mode,
      reason: input.reason,
      createdBy: input.createdBy,
      targets: input.targets,
      predictedSeconds: Math.ceil(built.predictedDurationSeconds),
      pointOfNoReturnAt: new Date(built.pointOfNoReturnAt),
      detail: {
        ...this.detail(built, input.hostIds, snapshot),
        ...(protectionWarnings !== undefined ? { protectionWarnings } : {}),
      },
      ...(input.dedupKey !== undefined ? { dedupKey: input.dedupKey } : {}),
      ...(input.outageId !== undefined ? { outageId: input.outageId } : {}),
      steps: first.steps,
      laterSteps: first.laterSteps,
      createdAt: new Date(),
      ...(input.exclusive === true ? { exclusiveHostIds: input.hostIds } : {}),
    });
    if (result.created) {
      const automatic = input.createdBy === AUTOMATIC_PLAN_CREATOR;
      if (automatic) await this.supersede(planId, input.hostIds);
      await this.enqueue(planId, firstStepJobs(first.batches, queued));
      if (automatic) void this.writeLaterStepsAfterLeads(planId, first.batches, queued.length);
      else await this.writeLaterStepsAndKick(planId, first.batches, queued.length);
    }
    return result;
  }

  /**
   * An outage's plan writes its other steps once its hosts' first commands are out (or after
   * LATER_STEPS_WAIT_MAX_MS): the workers hold those steps back until then anyway, and at 5,000
   * hosts writing their 15,000 rows took PostgreSQL's share of a saturated machine while the
   * leads were being claimed and sent. Meanwhile the plan cannot end (its steps are pending); if
   * this orchestrator dies, a worker's reconciler writes them.
   */
  private async writeLaterStepsAfterLeads(planId: string, batches: readonly StepBatch[], leads: number): Promise<void> {
    try {
      const until = Date.now() + LATER_STEPS_WAIT_MAX_MS;
      while (Date.now() < until && (await this.store.pending.unsentSteps(planId)) > 0) await sleep(LEADS_OUT_POLL_MS);
      await this.writeLaterStepsAndKick(planId, batches, leads);
    } catch (error) {
      this.logger.warn(
        `plan ${planId}: its other steps were not written yet (${errorText(error)}); the worker reconciler will write them`,
      );
    }
  }

  private async writeLaterStepsAndKick(planId: string, batches: readonly StepBatch[], leads: number): Promise<void> {
    const later = await this.writeLaterSteps(planId, batches);
    // A plan born with queued steps advances when they finish; a kick now would read every
    // step back while the first commands go out (4,000 rows for 1,000 hosts), to queue nothing.
    if (leads + later.queued === 0 || later.advanceNeeded) await this.kick(planId);
  }

  /**
   * Writes the steps the plan saved for after its first ones (PendingPlanSteps) and adds the jobs
   * of those written QUEUED that `batches` names (the batches of its creation). Those it cannot
   * name (another call's plan), and those a worker's reconciler wrote first, get their jobs from
   * the reconciler, under the ids their rows hold.
   */
  private async writeLaterSteps(
    planId: string,
    batches: readonly StepBatch[] = [],
  ): Promise<{ queued: number; advanceNeeded: boolean }> {
    const written = await this.store.pending.write(planId, new Date());
    if (written === undefined) return { queued: 0, advanceNeeded: false };
    await this.enqueue(planId, firstStepJobs(batches, written.queued));
    return { queued: written.queued.length, advanceNeeded: written.advanceNeeded };
  }

  /**
   * The jobs of the steps the plan was written QUEUED with. If Redis does not take them, the
   * workers' reconciler adds them under the same ids, or runs the steps from PostgreSQL.
   */
  private async enqueue(planId: string, batches: readonly StepBatch[]): Promise<void> {
    try {
      await this.producer.addBulk(
        JobName.PlanSteps,
        batches.map((b) => ({ data: planStepsJobData(planId, b), jobId: b.jobId })),
      );
    } catch (error) {
      this.logger.warn(
        `plan ${planId}: its first steps were saved but not queued (${errorText(error)}); the worker reconciler will queue or run them`,
      );
    }
  }

  private async insert(plan: NewPlan): Promise<{ planId: string; created: boolean; queued: readonly QueuedNewStep[] }> {
    try {
      return await this.store.writes.insertPlan(plan);
    } catch (error) {
      if (error instanceof PlanHostsHeldError) throw HostsHeldError.of(error.holders);
      throw error;
    }
  }

  /**
   * An outage's plan always proceeds: the hosts it takes lose their steps not started in any other
   * plan (a manual or dry-run shutdown, a restart), which then move on without them.
   */
  private async supersede(planId: string, hostIds: readonly string[]): Promise<void> {
    // Another plan's steps not written yet would escape the supersede: written first.
    for (const other of await this.store.pending.planIds()) if (other !== planId) await this.writeLaterSteps(other);
    const touched = await this.store.writes.supersedeHostSteps(
      planId,
      hostIds,
      `superseded by the outage's automatic plan ${planId}`,
      new Date(),
    );
    for (const other of touched) await this.kick(other);
    if (touched.length > 0)
      this.logger.warn(`plan ${planId} superseded the steps of its hosts in plan(s) ${touched.join(', ')}`);
  }

  /**
   * One armed shutdown plan per host at a time: an operator's second plan for a host another
   * unfinished armed plan still holds is refused, naming that plan (two plans would send its VMs
   * their shutdowns twice).
   */
  public async assertHostsFree(hostIds: readonly string[]): Promise<void> {
    const held = await this.store.reads.armedShutdownPlansHolding(hostIds);
    if (held.length > 0) throw HostsHeldError.of(held);
  }

  /**
   * Adds hosts that became critical later in the same outage to its plan: new steps only (step
   * keys are unique per plan, so a host is never added twice), deadlines counted from now; a plan
   * that had already finished runs again for them.
   */
  public async extend(planId: string, hostIds: readonly string[], snapshot: FleetSnapshot): Promise<number> {
    // The plan's own steps first: a host whose steps are still pending is in the plan already.
    await this.writeLaterSteps(planId);
    const known = await this.store.reads.hostIdsInPlan(planId);
    const fresh = hostIds.filter((id) => !known.has(id));
    if (fresh.length === 0) return 0;
    const built = this.build(planId, fresh, snapshot, await this.measurements.load(fresh));
    const offset = await this.store.reads.stepCount(planId);
    const freshUpsIds = this.upsIdsOf(fresh, snapshot);
    // A UPS first met now gets its power-cycle step; one already in the plan counts the new
    // hosts when it runs (it reads every host the UPS feeds).
    const keys = new Set((await this.store.reads.stepStates(planId)).map((s) => s.key));
    const cycles = (await this.powerCycles.plan(built, fresh, snapshot.feeds)).filter(
      (c) => !keys.has(upsPowerCycleKey(c.upsId)),
    );
    const rows = [...stepRows(built, offset), ...powerCycleRows(cycles, offset + built.steps.length)];
    await this.store.writes.appendSteps(planId, rows, (stored) => {
      const detail = readShutdownPlanDetail(stored);
      return {
        ...detail,
        hostIds: [...detail.hostIds, ...fresh],
        upsIds: [...new Set([...detail.upsIds, ...freshUpsIds])],
      };
    });
    await this.supersede(planId, fresh);
    await this.kick(planId);
    return fresh.length;
  }

  public async kick(planId: string): Promise<void> {
    try {
      await this.producer.add(JobName.PlanAdvance, { planId }, { jobId: jobId('plan', planId, 'advance') });
    } catch (error) {
      this.logger.warn(
        `plan ${planId} saved but not kicked (${errorText(error)}); the worker reconciler will start it`,
      );
    }
  }

  private build(
    planKey: string,
    hostIds: readonly string[],
    snapshot: FleetSnapshot,
    measured: readonly StepDurationSample[],
  ): ShutdownPlan {
    const wanted = new Set(hostIds);
    return buildShutdownPlan({
      planKey,
      // Predictions from what earlier armed plans measured, each naming where it comes from.
      hosts: withMeasuredDurations(
        snapshot.hosts.filter((h) => wanted.has(h.id)),
        measured,
      ),
      feeds: snapshot.feeds,
      policies: snapshot.policies,
      histories: snapshot.histories,
      now: snapshot.now,
    });
  }

  private upsIdsOf(hostIds: readonly string[], snapshot: FleetSnapshot): string[] {
    const wanted = new Set(hostIds);
    return [...new Set(snapshot.feeds.filter((f) => wanted.has(f.hostId)).map((f) => f.upsId))].sort();
  }

  private detail(built: ShutdownPlan, hostIds: readonly string[], snapshot: FleetSnapshot): ShutdownPlanDetail {
    const { steps: _steps, ...rest } = built;
    const wanted = new Set(hostIds);
    const used = new Set(snapshot.hosts.filter((h) => wanted.has(h.id)).map((h) => h.policyId));
    const policies = snapshot.policies.filter((p) => used.has(p.id));
    return {
      kind: 'shutdown',
      hostIds: [...hostIds],
      upsIds: this.upsIdsOf(hostIds, snapshot),
      // With mixed policies the strictest binds the whole plan (as the builder does for the PONR).
      powerBackConfirmSeconds: Math.max(0, ...policies.map((p) => p.powerBackConfirmSeconds)),
      pointOfNoReturnSeconds: policies.length > 0 ? Math.min(...policies.map((p) => p.pointOfNoReturnSeconds)) : 60,
      built: rest,
    };
  }
}

function stepRows(built: ShutdownPlan, sequenceOffset: number): NewPlanStep[] {
  return built.steps.map((step, index) => {
    const timing = {
      hostName: step.hostName,
      ladder: step.ladder.map((r) => ({ action: r.action, timeoutSeconds: r.timeoutSeconds })),
      startOffsetSeconds: step.startOffsetSeconds,
      deadlineOffsetSeconds: step.deadlineOffsetSeconds,
      predictedStartSeconds: step.predictedStartSeconds,
      predictedEndSeconds: step.predictedEndSeconds,
      predictionSource: step.predictionSource,
      why: step.why,
    };
    const detail: ShutdownStepDetail =
      step.kind === 'vm-stop'
        ? { kind: 'vm-stop', ...timing, vmId: step.vmId ?? '', vmName: step.vmName ?? null, batch: step.batch ?? 0 }
        : {
            kind: 'host-power-off',
            ...timing,
            ...(step.vmsUnknown !== undefined ? { vmsUnknown: step.vmsUnknown } : {}),
          };
    return {
      key: step.key,
      hostId: step.hostId,
      action: step.kind,
      stage: step.stage,
      sequence: sequenceOffset + index,
      dependsOn: [...step.dependsOn],
      deadlineAt: new Date(step.deadlineAt),
      detail,
    };
  });
}

/** The plan's `ups-power-cycle` steps, after every host step (their own last stage). */
function powerCycleRows(cycles: readonly PowerCycleStepRow[], sequenceOffset: number): NewPlanStep[] {
  return cycles.map((cycle, index) => ({
    key: upsPowerCycleKey(cycle.upsId),
    hostId: null,
    action: UPS_POWER_CYCLE_ACTION,
    stage: cycle.stage,
    sequence: sequenceOffset + index,
    dependsOn: [...cycle.dependsOn],
    deadlineAt: new Date(cycle.deadlineAt),
    detail: {
      kind: UPS_POWER_CYCLE_ACTION,
      upsId: cycle.upsId,
      upsAddress: cycle.upsAddress,
      action: cycle.action,
      hostIds: [...cycle.hostIds],
      hostNames: [...cycle.hostNames],
      predictedSendSeconds: cycle.predictedSendSeconds,
      timing: cycle.timing.summary,
    },
  }));
}
