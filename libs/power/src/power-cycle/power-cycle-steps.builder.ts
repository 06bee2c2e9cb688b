import { maxOf } from '@nutfleet/runtime';

import { type ShutdownPlan } from '../shutdown-plan.types';
import { addSeconds, type EpochMs } from '../time';
import { type UpsId } from '../ups-observation';
import { type PowerCycleTiming, powerCycleTiming } from './power-cycle.timing';
import { type PowerCycleAction, type PowerCycleSettings } from './power-cycle.types';

export interface PowerCycleUpsInput {
  readonly upsId: UpsId;
  /** How timings and warnings name the UPS (e.g. `ups1@nut-paris`); default its id. */
  readonly label?: string;
  readonly settings: PowerCycleSettings;
  /** Hosts of this plan the UPS feeds. */
  readonly hostIds: readonly string[];
  readonly upsShutdownDelaySeconds?: number;
  readonly upsStartDelaySeconds?: number;
  readonly primaryHostSyncSeconds?: number;
}

export interface PowerCycleStepPlan {
  readonly upsId: UpsId;
  readonly action: Exclude<PowerCycleAction, 'none'>;
  /** After every other stage: the cycle never holds a later host back. */
  readonly stage: number;
  /** The host-power-off step keys of the hosts it feeds. */
  readonly dependsOn: readonly string[];
  readonly hostIds: readonly string[];
  readonly hostNames: readonly string[];
  readonly predictedSendSeconds: number;
  /** How long the step may wait for a host holding it: the last fed host's deadline plus this margin. */
  readonly deadlineAt: EpochMs;
  readonly timing: PowerCycleTiming;
}

/**
 * The stage of every power-cycle step: after any host stage (the API allows 0–1000), so steps
 * added when a plan is extended with more hosts still come last.
 */
export const POWER_CYCLE_STAGE = 1001;

/** Extra wait after the last fed host's deadline, for the SSH checks of hosts past theirs. */
export const POWER_CYCLE_WAIT_MARGIN_SECONDS = 600;

/**
 * One `ups-power-cycle` step per UPS with an action that feeds hosts of this plan, in a stage of
 * its own after every other (so a later stage never waits for it), depending on the power-off
 * steps of the hosts it feeds. Whether it may really be sent is decided when it runs
 * (decidePowerCycle); this only places and times it.
 */
export function planPowerCycleSteps(
  plan: ShutdownPlan,
  upses: readonly PowerCycleUpsInput[],
  margin = POWER_CYCLE_WAIT_MARGIN_SECONDS,
): PowerCycleStepPlan[] {
  const powerOffs = new Map(plan.steps.filter((s) => s.kind === 'host-power-off').map((s) => [s.hostId, s]));
  const stage = Math.max(POWER_CYCLE_STAGE, (maxOf(plan.steps.map((step) => step.stage)) ?? -1) + 1);
  const out: PowerCycleStepPlan[] = [];
  for (const ups of [...upses].sort((a, b) => a.upsId.localeCompare(b.upsId))) {
    const action = ups.settings.action;
    if (action === 'none') continue;
    const steps = ups.hostIds.flatMap((id) => {
      const step = powerOffs.get(id);
      return step === undefined ? [] : [step];
    });
    const predictedSendSeconds = maxOf(steps.map((s) => s.predictedEndSeconds));
    const lastDeadline = maxOf(steps.map((s) => s.deadlineAt));
    // None of the UPS's hosts is powered off by this plan: nothing to cycle.
    if (predictedSendSeconds === undefined || lastDeadline === undefined) continue;
    out.push({
      upsId: ups.upsId,
      action,
      stage,
      dependsOn: steps.map((s) => s.key),
      hostIds: steps.map((s) => s.hostId),
      hostNames: steps.map((s) => s.hostName),
      predictedSendSeconds,
      deadlineAt: addSeconds(lastDeadline, margin),
      timing: powerCycleTiming({
        upsId: ups.label ?? ups.upsId,
        settings: ups.settings,
        planStartAt: plan.createdAt,
        lastHostDownAt: addSeconds(plan.createdAt, predictedSendSeconds),
        ...(ups.upsShutdownDelaySeconds === undefined ? {} : { upsShutdownDelaySeconds: ups.upsShutdownDelaySeconds }),
        ...(ups.upsStartDelaySeconds === undefined ? {} : { upsStartDelaySeconds: ups.upsStartDelaySeconds }),
        ...(ups.primaryHostSyncSeconds === undefined ? {} : { primaryHostSyncSeconds: ups.primaryHostSyncSeconds }),
      }),
    });
  }
  return out;
}
