import { Injectable, Logger } from '@nestjs/common';

import { PrismaService } from '@nutfleet/db';
import {
  gateKey,
  RESTART_GATE_ACTION,
  type RestartPlanDetail,
  restartPlanDetailOf,
  systemCancel,
} from '@nutfleet/plan';
import { evaluateRestartGate, type RestartGateResult, readUpsTimeline, type UpsHistory } from '@nutfleet/power';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { PlanCancelService } from '../plans/plan-cancel.service';
import { PlanFactory } from '../plans/plan-factory.service';
import { gateDecisionSignature, restartHostProgress } from './restart-host-progress';

export interface GateKeeperOutcome {
  /** When a gate closed only by time may open: evaluate again then. */
  readonly recheckAt?: number;
}

/**
 * Opens the waves of running restart plans, on the power-monitor leader: for the next wave whose
 * gate step is still PENDING it runs `evaluateRestartGate` (power stable, battery, NUT servers,
 * earlier waves), records each new decision as a DECISION power event of the plan (its timeline),
 * and when the gate opens completes the gate step and kicks the plan: the worker then wakes the
 * wave. Power failing again after a wave has opened pauses the restart: its not-started steps
 * are cancelled and the shutdown logic takes over; a new restart follows once power is back.
 */
@Injectable()
export class RestartGateKeeper {
  private readonly logger = new Logger(RestartGateKeeper.name);
  /** Last recorded decision per plan: only changes become timeline entries. */
  private readonly lastSignature = new Map<string, string>();

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly plans: PlanFactory,
    private readonly cancels: PlanCancelService,
  ) {}

  public async evaluate(
    plan: { id: string; mode: string; createdAt: Date; detail: unknown },
    histories: readonly UpsHistory[],
    now: number,
  ): Promise<GateKeeperOutcome> {
    const detail = restartPlanDetailOf(plan.detail);
    if (!detail) return {};
    const steps = await this.store.reads.restartSteps(plan.id);
    const records = steps.map((s) => ({
      ...s,
      startedAt: s.startedAt?.getTime() ?? null,
      finishedAt: s.finishedAt?.getTime() ?? null,
    }));
    const anyWaveOpen = steps.some((s) => s.action === RESTART_GATE_ACTION && s.state === 'SUCCEEDED');
    if (await this.pauseIfPowerFailed(plan, detail, histories, anyWaveOpen, now)) return {};

    const next = detail.waves.find((w) => steps.some((s) => s.key === gateKey(w.wave) && s.state === 'PENDING'));
    if (!next) return {};
    const gate = steps.find((s) => s.key === gateKey(next.wave));
    // Every host of the wave left it (an outage's plan superseded their steps): nothing to open.
    const waveSteps = steps.filter((s) => s.hostId !== null && next.hostIds.includes(s.hostId));
    if (gate !== undefined && waveSteps.length > 0 && waveSteps.every((s) => s.state === 'CANCELLED')) {
      if (await this.store.writes.skipGate(gate.id, `wave ${next.wave}: no host left to wake`, new Date(now)))
        await this.plans.kick(plan.id);
      return {};
    }
    const result = evaluateRestartGate({
      plan: {
        key: plan.id,
        waves: detail.waves,
        steps: [],
        hostTimeoutSeconds: detail.hostTimeoutSeconds,
        skipped: [],
      },
      wave: next.wave,
      histories,
      nutServers: await this.nutServerReachability(histories, next.upsIds),
      hostProgress: restartHostProgress(detail.hostIds, records),
      ...(detail.lastShutdown ? { lastShutdown: detail.lastShutdown } : {}),
      policy: detail.gatePolicy,
      now,
    });
    await this.record(plan.id, result, now);
    if (!result.open) return result.recheckAt !== undefined ? { recheckAt: result.recheckAt } : {};

    const opened =
      gate !== undefined &&
      (await this.store.writes.openGate(
        gate.id,
        `wave ${next.wave} gate open: ${result.checks.map((c) => `${c.gate}: ${c.reasons.join('; ')}`).join(' | ')}`,
        new Date(now),
      ));
    if (opened) {
      this.logger.log(`restart plan ${plan.id}: wave ${next.wave} gate open, waking ${next.hostIds.length} host(s)`);
      await this.plans.kick(plan.id);
    }
    return {};
  }

  /** Reachable = the monitor reads at least one of the server's UPSes. */
  private async nutServerReachability(
    histories: readonly UpsHistory[],
    upsIds: readonly string[],
  ): Promise<Array<{ id: string; reachable: boolean }>> {
    const serverIds = [...new Set(histories.filter((h) => upsIds.includes(h.upsId)).map((h) => h.nutServerId))].filter(
      (id): id is string => id !== undefined,
    );
    if (serverIds.length === 0) return [];
    const upses = await this.prisma.ups.findMany({
      where: { nutServerId: { in: serverIds } },
      select: { nutServerId: true, commState: true },
    });
    return serverIds.map((id) => ({ id, reachable: upses.some((u) => u.nutServerId === id && u.commState === 'OK') }));
  }

  private async record(planId: string, result: RestartGateResult, now: number): Promise<void> {
    const signature = gateDecisionSignature(result);
    if (this.lastSignature.get(planId) === signature) return;
    this.lastSignature.set(planId, signature);
    await this.prisma.powerEvent.create({
      data: {
        type: 'DECISION',
        planId,
        data: {
          event: 'restart-gate',
          wave: result.wave,
          open: result.open,
          at: now,
          // Each closed check's own opening instant: the plan page says what each one waits for.
          checks: result.checks.map((c) => ({
            gate: c.gate,
            open: c.open,
            reasons: [...c.reasons],
            recheckAt: c.recheckAt ?? null,
          })),
          recheckAt: result.recheckAt ?? null,
          timedOutHostIds: [...result.timedOutHostIds],
        },
      },
    });
  }

  /**
   * A UPS of the plan on battery again once hosts are being woken: stop waking and let the
   * shutdown logic take the woken hosts back down (a new outage opens; its restart follows once
   * power is back). Before any wave opened, the closed power gate simply holds (a flap restarts
   * its window). A shutdown plan made while mains is on never cancels a restart: only power does.
   */
  private async pauseIfPowerFailed(
    plan: { id: string; mode: string; createdAt: Date },
    detail: RestartPlanDetail,
    histories: readonly UpsHistory[],
    anyWaveOpen: boolean,
    now: number,
  ): Promise<boolean> {
    if (!anyWaveOpen || plan.mode !== 'ARMED') return false;
    const onBattery = histories
      .filter((h) => detail.upsIds.includes(h.upsId))
      .filter((h) => readUpsTimeline(h, now, 0).onBatterySince !== undefined)
      .map((h) => h.upsId);
    if (onBattery.length === 0) return false;
    const reason = `power failed again during the restart (${onBattery.join(', ')} on battery): paused, the shutdown logic takes over; the restart after that outage wakes the hosts still down`;
    const result = await this.cancels.cancel(plan.id, { reason, by: systemCancel('restart-paused') });
    if (result.kind !== 'cancelled') return false;
    const paused: RestartPlanDetail = { ...detail, pausedByPowerAt: new Date(now).toISOString() };
    await this.store.writes.replaceDetail(plan.id, paused);
    await this.prisma.powerEvent.create({
      data: { type: 'PLAN', planId: plan.id, data: { event: 'restart-paused', reason, upsIds: onBattery } },
    });
    this.logger.warn(`restart plan ${plan.id}: ${reason}`);
    return true;
  }
}
