import { type BatteryAssessment, assessBattery } from './battery-readings';
import { feedsByHost, type HostInventory, type PowerFeed } from './fleet-inventory';
import { computeHostBatteryRuntime } from './host-battery-runtime';
import { PowerInputError } from './power-input.error';
import { predictDuration } from './prediction-source';
import { type ShutdownPolicy } from './shutdown-policy';
import {
  HOST_POWER_OFF_METHOD,
  type HostRuntimeCheck,
  type PlanWarning,
  type ShutdownPlan,
  type ShutdownPlanStage,
  type ShutdownPlanStep,
} from './shutdown-plan.types';
import { type EpochMs, addSeconds, formatSeconds } from './time';
import { type UpsHistory, type UpsId, isOnBattery } from './ups-observation';
import { readUpsTimeline } from './ups-timeline';
import { orderVmShutdown } from './vm-shutdown-order';

export interface ShutdownPlanInput {
  /** Stable id of the plan (e.g. the outage id); step keys are unique inside it. */
  readonly planKey: string;
  /** Hosts to take down; hosts already off are skipped. */
  readonly hosts: readonly HostInventory[];
  readonly feeds: readonly PowerFeed[];
  readonly policies: readonly ShutdownPolicy[];
  /** Used for the battery figures: the last reading of each UPS and its observed discharge. */
  readonly histories: readonly UpsHistory[];
  readonly now: EpochMs;
  /** Seconds the plan must finish before the battery does. Default 30. */
  readonly safetyMarginSeconds?: number;
}

/**
 * Builds the shutdown plan: stages in ascending order, hosts of a stage in parallel; inside a
 * host its VM batches one after the other, then the host's `poweroff`. Two timelines: the worst
 * case (every timeout used) gives deadlines; the predicted one uses measured durations. Both
 * are compared with the battery runtime of each host.
 */
export function buildShutdownPlan(input: ShutdownPlanInput): ShutdownPlan {
  const margin = input.safetyMarginSeconds ?? 30;
  const policies = new Map(input.policies.map((p) => [p.id, p]));
  const batteries = latestBatteries(input.histories, input.now);
  const runtimeByUps = new Map(
    [...batteries].flatMap(([upsId, b]) =>
      b.runtimeSeconds === undefined ? [] : [[upsId, b.runtimeSeconds] as const],
    ),
  );
  const skipped: Array<{ hostId: string; reason: string }> = [];
  const hosts = [...input.hosts].sort((a, b) => a.shutdownStage - b.shutdownStage || a.id.localeCompare(b.id));
  const seen = new Set<string>();
  const included: HostInventory[] = [];
  for (const host of hosts) {
    if (seen.has(host.id)) throw new PowerInputError(`hosts[${host.id}]`, 'listed twice');
    seen.add(host.id);
    if (host.powerState === 'off') skipped.push({ hostId: host.id, reason: `${host.name} is already powered off` });
    else included.push(host);
  }

  const stageNumbers = [...new Set(included.map((h) => h.shutdownStage))].sort((a, b) => a - b);
  const stages: ShutdownPlanStage[] = [];
  const steps: ShutdownPlanStep[] = [];
  const hostChecks: HostRuntimeCheck[] = [];
  const warnings: PlanWarning[] = [];
  let stageStart = 0;
  let stagePredictedStart = 0;
  let strictestPonr = Number.POSITIVE_INFINITY;

  const feedsOf = feedsByHost(input.feeds);

  for (const stage of stageNumbers) {
    const stageHosts = included.filter((h) => h.shutdownStage === stage);
    let stageEnd = stageStart;
    let stagePredictedEnd = stagePredictedStart;
    for (const host of stageHosts) {
      const policy = policies.get(host.policyId);
      if (policy === undefined)
        throw new PowerInputError(`hosts[${host.id}].policyId`, `no policy with id "${host.policyId}"`);
      strictestPonr = Math.min(strictestPonr, policy.pointOfNoReturnSeconds);
      const hostSteps = buildHostSteps(host, policy, stage, stageStart, stagePredictedStart, input.now);
      steps.push(...hostSteps);
      const last = hostSteps[hostSteps.length - 1];
      const hostEnd = last?.deadlineOffsetSeconds ?? stageStart;
      const hostPredictedEnd = last?.predictedEndSeconds ?? stagePredictedStart;
      stageEnd = Math.max(stageEnd, hostEnd);
      stagePredictedEnd = Math.max(stagePredictedEnd, hostPredictedEnd);
      const check = checkHostRuntime(
        host,
        feedsOf.get(host.id) ?? [],
        runtimeByUps,
        batteries,
        hostPredictedEnd,
        hostEnd,
        margin,
        warnings,
      );
      hostChecks.push(check);
    }
    stages.push({
      stage,
      hostIds: stageHosts.map((h) => h.id),
      startOffsetSeconds: stageStart,
      deadlineOffsetSeconds: stageEnd,
      predictedStartSeconds: stagePredictedStart,
      predictedEndSeconds: stagePredictedEnd,
    });
    stageStart = stageEnd;
    stagePredictedStart = stagePredictedEnd;
  }

  const usedUps = new Set(included.flatMap((h) => (feedsOf.get(h.id) ?? []).map((f) => f.upsId)));
  for (const [upsId, battery] of [...batteries].sort(([a], [b]) => a.localeCompare(b))) {
    if (!usedUps.has(upsId)) continue;
    for (const problem of battery.problems)
      warnings.push({
        code: 'BATTERY_READING_UNKNOWN',
        message: `${upsId}: ${problem.message}`,
        values: { ups: upsId, problem: problem.code },
      });
  }
  const runtimes = hostChecks.map((c) => c.batteryRuntimeSeconds).filter((s): s is number => s !== undefined);
  return {
    key: input.planKey,
    createdAt: input.now,
    powerOffMethod: HOST_POWER_OFF_METHOD,
    stages,
    steps,
    predictedDurationSeconds: stagePredictedStart,
    worstCaseDurationSeconds: stageStart,
    batteryRuntimeSeconds: runtimes.length > 0 ? Math.min(...runtimes) : undefined,
    // With mixed policies the earliest point of no return binds the whole plan: a plan is
    // cancelled as a whole or completed as a whole.
    pointOfNoReturnAt: addSeconds(input.now, Number.isFinite(strictestPonr) ? strictestPonr : 0),
    hostChecks,
    warnings,
    skipped,
  };
}

function buildHostSteps(
  host: HostInventory,
  policy: ShutdownPolicy,
  stage: number,
  start: number,
  predictedStart: number,
  now: EpochMs,
): ShutdownPlanStep[] {
  const steps: ShutdownPlanStep[] = [];
  let cursor = start;
  let predictedCursor = predictedStart;
  let previousBatchKeys: string[] = [];
  for (const batch of orderVmShutdown(host.vms, policy.vm)) {
    let batchEnd = cursor;
    let batchPredictedEnd = predictedCursor;
    const keys: string[] = [];
    for (const entry of batch.entries) {
      const key = `host:${host.id}:vm:${entry.vm.id}:stop`;
      keys.push(key);
      const deadline = cursor + entry.worstCaseSeconds;
      const predictedEnd = predictedCursor + entry.predictedSeconds;
      steps.push({
        key,
        kind: 'vm-stop',
        stage,
        hostId: host.id,
        hostName: host.name,
        vmId: entry.vm.id,
        vmName: entry.vm.name,
        batch: batch.batch,
        ladder: entry.ladder,
        dependsOn: previousBatchKeys,
        startOffsetSeconds: cursor,
        deadlineOffsetSeconds: deadline,
        deadlineAt: addSeconds(now, deadline),
        predictedStartSeconds: predictedCursor,
        predictedEndSeconds: predictedEnd,
        predictionSource: entry.predictionSource,
        why: entry.why,
      });
      batchEnd = Math.max(batchEnd, deadline);
      batchPredictedEnd = Math.max(batchPredictedEnd, predictedEnd);
    }
    previousBatchKeys = keys;
    cursor = batchEnd;
    predictedCursor = batchPredictedEnd;
  }
  const timeout = policy.hostPowerOffTimeoutSeconds;
  const { seconds: predicted, source } = predictDuration(
    timeout,
    host.measuredPowerOffSeconds,
    host.measuredPowerOffFrom,
    {
      setting: 'hostPowerOffTimeoutSeconds',
      text: `the policy's host power-off timeout ${timeout} s`,
    },
  );
  steps.push({
    key: `host:${host.id}:power-off`,
    kind: 'host-power-off',
    stage,
    hostId: host.id,
    hostName: host.name,
    ladder: [{ action: 'power-off', timeoutSeconds: timeout }],
    method: HOST_POWER_OFF_METHOD,
    ...(host.vmsUnknown !== undefined ? { vmsUnknown: host.vmsUnknown } : {}),
    dependsOn: previousBatchKeys,
    startOffsetSeconds: cursor,
    deadlineOffsetSeconds: cursor + timeout,
    deadlineAt: addSeconds(now, cursor + timeout),
    predictedStartSeconds: predictedCursor,
    predictedEndSeconds: predictedCursor + predicted,
    predictionSource: source,
    why:
      host.vmsUnknown === undefined
        ? `${host.name} powered off with ESXi poweroff after its VMs (stage ${stage})`
        : `${host.name}: its VM list could not be read (${host.vmsUnknown}); the step reads it again and stops the running VMs before ESXi poweroff (stage ${stage})`,
  });
  return steps;
}

function checkHostRuntime(
  host: HostInventory,
  /** The host's own feeds. */
  hostFeeds: readonly PowerFeed[],
  runtimeByUps: ReadonlyMap<UpsId, number>,
  batteries: ReadonlyMap<UpsId, BatteryAssessment>,
  predictedEnd: number,
  deadline: number,
  margin: number,
  warnings: PlanWarning[],
): HostRuntimeCheck {
  const runtime = computeHostBatteryRuntime(hostFeeds, host.minSupplies, runtimeByUps);
  if (runtime.unknownUpsIds.length > 0) {
    warnings.push({
      code: 'RUNTIME_UNKNOWN',
      hostId: host.id,
      message: `${host.name}: no usable battery.runtime from ${runtime.unknownUpsIds.join(', ')} (none reported, or a sentinel, and no discharge observed yet); the battery check ${runtime.seconds === undefined ? 'cannot be made' : 'ignores those UPSes'}`,
      values: { ups: runtime.unknownUpsIds.join(', ') },
    });
  }
  const base = {
    hostId: host.id,
    hostName: host.name,
    predictedEndSeconds: predictedEnd,
    deadlineOffsetSeconds: deadline,
  };
  if (runtime.seconds === undefined) return base;
  const limiting = runtime.limitingUpsId === undefined ? undefined : batteries.get(runtime.limitingUpsId);
  const source = limiting?.runtimeSource === 'discharge' ? 'predicts from its discharge' : 'reports';
  const values = {
    predictedEndSeconds: predictedEnd,
    worstCaseEndSeconds: deadline,
    batteryRuntimeSeconds: runtime.seconds,
    safetyMarginSeconds: margin,
    ups: runtime.limitingUpsId ?? '',
  };
  if (predictedEnd + margin > runtime.seconds) {
    warnings.push({
      code: 'PLAN_OUTLASTS_BATTERY',
      hostId: host.id,
      message: `${host.name} is predicted to be down ${formatSeconds(predictedEnd)} after the plan starts, but ${runtime.limitingUpsId ?? 'its UPS'} ${source} ${formatSeconds(Math.round(runtime.seconds))} of runtime (safety margin ${formatSeconds(margin)}): ${formatSeconds(Math.round(predictedEnd + margin - runtime.seconds))} short`,
      values,
    });
  } else if (deadline + margin > runtime.seconds) {
    warnings.push({
      code: 'WORST_CASE_OUTLASTS_BATTERY',
      hostId: host.id,
      message: `${host.name}: if every timeout is used it is down only ${formatSeconds(deadline)} after the plan starts, beyond the ${formatSeconds(Math.round(runtime.seconds))} ${runtime.limitingUpsId ?? 'its UPS'} ${source} (safety margin ${formatSeconds(margin)})`,
      values,
    });
  }
  return {
    ...base,
    batteryRuntimeSeconds: runtime.seconds,
    limitingUpsId: runtime.limitingUpsId,
    marginSeconds: runtime.seconds - predictedEnd - margin,
    ...(limiting?.runtimeSource !== undefined ? { runtimeSource: limiting.runtimeSource } : {}),
    ...(limiting?.reportedRuntimeSeconds !== undefined
      ? { reportedRuntimeSeconds: limiting.reportedRuntimeSeconds }
      : {}),
    ...(limiting?.predicted !== undefined ? { predictedRuntimeSeconds: limiting.predicted.runtimeSeconds } : {}),
  };
}

/** Each UPS's charge and runtime as decisions use them: sentinels out, the discharge when on battery. */
export function latestBatteries(histories: readonly UpsHistory[], now: EpochMs): Map<UpsId, BatteryAssessment> {
  const result = new Map<UpsId, BatteryAssessment>();
  for (const history of histories) {
    const facts = readUpsTimeline(history, now, 0);
    const reading = facts.lastReading;
    if (reading === undefined) continue;
    const samples = isOnBattery(reading) ? facts.episodeSamples : [];
    result.set(history.upsId, assessBattery(reading, samples, reading.chargeLowPercent));
  }
  return result;
}
