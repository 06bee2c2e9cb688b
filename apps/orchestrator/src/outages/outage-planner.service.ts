import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { FencedOffError, PrismaService } from '@nutfleet/db';
import { AUTOMATIC_PLAN_CREATOR, type OutageRow, systemCancel } from '@nutfleet/plan';
import {
  advanceOutage,
  decideFleet,
  evaluatePowerReturn,
  outagePowerBackConfirmSeconds,
  type OutageAction,
  type OutageSnapshot,
  type OutageState,
  type UpsHistory,
} from '@nutfleet/power';
import { errorText, nextPassAt, PeriodicTask } from '@nutfleet/runtime';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { type FleetSnapshot, FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { PlanCancelService } from '../plans/plan-cancel.service';
import { PlanFactory } from '../plans/plan-factory.service';
import { PowerMonitorLeadership } from '../power-monitor/power-monitor.leadership';
import { PowerMonitorService } from '../power-monitor/power-monitor.service';
import { AutomaticRestart } from './automatic-restart.service';

/** A verdict due by time alone is re-evaluated then, but never sooner than this after the last. */
export const EARLIEST_REEVALUATION_MS = 50;

const STATE: Record<OutageRow['state'], OutageState> = {
  OPEN: 'open',
  SHEDDING: 'shedding',
  POWER_BACK: 'power-back',
  RESTARTING: 'restarting',
  CLOSED: 'closed',
};

/**
 * The outage lifecycle on the power-monitor leader: at every UPS event, every
 * PLAN_EVALUATE_INTERVAL_MS, and when a verdict is due by time alone, it rebuilds the UPS
 * histories, decides which hosts are critical (never one it knows is off), and applies what
 * `advanceOutage` says: open an outage, shed its critical hosts (one automatic plan, late hosts
 * join it, a host that came back by itself gets a new one), cancel what has not started when
 * power is back before a plan's point of no return, and once power is back and the shutdown done,
 * hand over to the restart — which ends the outage. Every write is fenced by the leader's token;
 * the state lives in PostgreSQL, so a new leader continues where the old one stopped.
 */
@Injectable()
export class OutagePlanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutagePlanner.name);
  private readonly loop: PeriodicTask;
  /** The `now` of the evaluation in progress (what its decisions are dated with). */
  private decidedAt = 0;
  /** Hosts the evaluation in progress planned (for its log line). */
  private planned = 0;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly factory: PlanFactory,
    private readonly cancels: PlanCancelService,
    private readonly restarts: AutomaticRestart,
    private readonly leadership: PowerMonitorLeadership,
    private readonly monitor: PowerMonitorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: async () => (this.leadership.isLeader ? nextPassAt(await this.evaluate()) : undefined),
      intervalMs: config.plans.evaluateIntervalMs,
      minDelayMs: EARLIEST_REEVALUATION_MS,
      // Each pass loads the whole fleet: at 5,000 hosts it outlasts the interval, and back-to-back
      // passes would take the CPU the plan's first commands need. UPS events still wake it at once.
      minRestRatio: 1,
      onError: (error) =>
        error instanceof FencedOffError
          ? this.logger.warn(`outage lifecycle: ${error.message}`)
          : this.logger.warn(`evaluation failed: ${errorText(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    if (!this.config.powerMonitor.enabled) return;
    // A recorded UPS change (LB, FSD, OB, comm loss) is evaluated at once, not at the next tick.
    this.monitor.onEventsRecorded(() => this.loop.wake());
    this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One evaluation; returns when the next one is due by time alone. */
  public async evaluate(now = Date.now()): Promise<number | undefined> {
    const token = this.leadership.fencingToken;
    if (token === null) return undefined;
    this.decidedAt = now;
    this.planned = 0;
    const began = Date.now();
    const snapshot = await this.snapshots.load(now);
    let outage = await this.store.outages.current();
    const active = outage !== null && outage.state !== 'RESTARTING';
    const timersFrom =
      active && outage?.timersFrom
        ? new Map(snapshot.histories.map((h) => [h.upsId, outage?.timersFrom?.getTime() ?? 0]))
        : undefined;
    const decision = decideFleet({ ...snapshot, now, ...(timersFrom ? { timersFrom } : {}) });
    const off = new Set(snapshot.hosts.filter((h) => h.powerState === 'off').map((h) => h.id));
    const critical = decision.criticalHostIds.filter((id) => !off.has(id));
    const criticalSet = new Set(critical);
    const criticalUpsIds = [...new Set(snapshot.feeds.filter((f) => criticalSet.has(f.hostId)).map((f) => f.upsId))];

    const due: number[] = [];
    if (decision.nextEvaluationAt !== undefined) due.push(decision.nextEvaluationAt);
    if (outage !== null && active) {
      const recheck = await this.applyPowerReturn(outage, snapshot.histories, now);
      if (recheck !== undefined) due.push(recheck);
    }

    const managed = new Set(snapshot.feeds.map((f) => f.upsId));
    const lifecycle = advanceOutage({
      ...(outage !== null ? { outage: snapshotOf(outage) } : {}),
      histories: snapshot.histories.filter((h) => managed.has(h.upsId)),
      criticalHostIds: critical,
      criticalUpsIds,
      plans: await this.planFacts(outage),
      powerBackConfirmSeconds: outagePowerBackConfirmSeconds(snapshot.policies, snapshot.hosts),
      now,
    });
    if (lifecycle.recheckAt !== undefined) due.push(lifecycle.recheckAt);

    for (const action of lifecycle.actions) {
      outage = await this.apply(token, action, outage, snapshot, decision.hosts, now);
    }
    if (this.planned > 0)
      this.logger.warn(
        `outage: ${this.planned} critical host(s) planned ${Date.now() - began} ms after the evaluation began`,
      );
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  private async planFacts(outage: OutageRow | null): Promise<Parameters<typeof advanceOutage>[0]['plans']> {
    const lastRestart = await this.store.outages.lastArmedRestartAt();
    const base = lastRestart !== undefined ? { lastRestartAt: lastRestart.getTime() } : {};
    if (outage === null) return { shutdownRunning: false, hostsPoweredOff: 0, restartFinished: false, ...base };
    const facts = await this.store.outages.planFacts(outage.id);
    const restartFinished =
      outage.state === 'RESTARTING' &&
      (outage.restartPlanId === null || (await this.store.outages.restartFinished(outage.restartPlanId)));
    return { ...facts, restartFinished, ...base };
  }

  /**
   * Power back before an automatic plan's point of no return cancels its steps not started yet
   * (the system's cancel: it disarms nothing); after it, the plan completes. Returns when to look again.
   */
  private async applyPowerReturn(
    outage: OutageRow,
    histories: readonly UpsHistory[],
    now: number,
  ): Promise<number | undefined> {
    let recheck: number | undefined;
    for (const plan of await this.store.outages.runningAutomaticShutdownPlans(outage.id)) {
      const back = evaluatePowerReturn({
        planStartedAt: plan.createdAt.getTime(),
        pointOfNoReturnSeconds: plan.pointOfNoReturnSeconds ?? 60,
        powerBackConfirmSeconds: plan.powerBackConfirmSeconds ?? 10,
        upsIds: plan.upsIds ?? outage.upsIds,
        histories,
        now,
      });
      if (back.recheckAt !== undefined) recheck = Math.min(recheck ?? Infinity, back.recheckAt);
      if (back.action !== 'cancel-pending') continue;
      const result = await this.cancels.cancel(plan.id, {
        reason: `power back before the point of no return: ${back.reasons.at(-1) ?? ''}`,
        by: systemCancel('power-back'),
      });
      this.logger.warn(`plan ${plan.id}: power back before the point of no return, ${JSON.stringify(result)}`);
    }
    return recheck;
  }

  private async apply(
    token: bigint,
    action: OutageAction,
    outage: OutageRow | null,
    snapshot: FleetSnapshot,
    hosts: ReadonlyArray<{ hostId: string; critical: boolean; summary: string }>,
    now: number,
  ): Promise<OutageRow | null> {
    const at = new Date(now);
    const outages = this.store.outages;
    switch (action.kind) {
      case 'open': {
        const opened = await outages.open(token, {
          openedAt: new Date(action.openedAt),
          upsIds: action.upsIds,
          ...(action.timersFrom !== undefined ? { timersFrom: new Date(action.timersFrom) } : {}),
        });
        await this.record('outage-opened', opened.id, { message: action.message, upsIds: [...action.upsIds] });
        this.logger.warn(`outage ${opened.id}: ${action.message}`);
        return opened;
      }
      case 'close':
        if (outage === null) return null;
        await outages.close(token, outage.id, action.reason, at);
        await this.record('outage-closed', outage.id, { reason: action.reason, message: action.message });
        this.logger.log(`outage ${outage.id} closed: ${action.message}`);
        return null;
      case 'add-upses':
        if (outage === null) return null;
        await outages.update(token, outage.id, { upsIds: [...outage.upsIds, ...action.upsIds] });
        return { ...outage, upsIds: [...outage.upsIds, ...action.upsIds] };
      case 'shed': {
        if (outage === null) return null;
        await this.shed(token, outage, action.hostIds, snapshot, hosts);
        if (outage.state === 'OPEN' || outage.state === 'POWER_BACK') {
          await outages.update(token, outage.id, { state: 'SHEDDING' });
          return { ...outage, state: 'SHEDDING' };
        }
        return outage;
      }
      case 'power-back':
        if (outage === null) return null;
        await outages.update(token, outage.id, { state: 'POWER_BACK', powerBackAt: new Date(action.at) });
        await this.record('outage-power-back', outage.id, { message: action.message });
        return { ...outage, state: 'POWER_BACK', powerBackAt: new Date(action.at) };
      case 'power-lost-again': {
        if (outage === null) return null;
        const planned = (await outages.automaticPlanCount(outage.id)) > 0;
        const state = planned ? 'SHEDDING' : 'OPEN';
        await outages.update(token, outage.id, { state, powerBackAt: null });
        await this.record('outage-power-lost-again', outage.id, { message: action.message });
        return { ...outage, state, powerBackAt: null };
      }
      case 'request-restart': {
        if (outage === null) return null;
        const restart = await this.restarts.afterOutage(outage);
        if (restart === undefined) {
          await outages.close(token, outage.id, 'power-back', at);
          await this.record('outage-closed', outage.id, { reason: 'power-back', message: 'no host to wake' });
          return null;
        }
        await outages.update(token, outage.id, {
          state: 'RESTARTING',
          restartPlanId: restart,
          closeReason: 'restarted',
        });
        await this.record('outage-restarting', outage.id, { message: action.message, restartPlanId: restart });
        return { ...outage, state: 'RESTARTING', restartPlanId: restart };
      }
    }
  }

  /**
   * Plans the critical hosts of an outage: those not planned in it yet join its running automatic
   * plan (or a new one); a host whose steps there have finished but that is on again since (it
   * came back by itself) gets a new plan of its own round; a host with steps still running waits.
   */
  private async shed(
    _token: bigint,
    outage: OutageRow,
    critical: readonly string[],
    snapshot: FleetSnapshot,
    hosts: ReadonlyArray<{ hostId: string; critical: boolean; summary: string }>,
  ): Promise<void> {
    const records = await this.store.outages.hostRecords(outage.id);
    // Only a host planned before in this outage, and no longer in its running plan, needs its
    // power history: at the outage's first shed that is none, and while the plan runs every
    // evaluation would read the 5,000 hosts it holds.
    const seen = critical.filter((hostId) => records.get(hostId)?.inRunningPlan === false);
    const power = new Map(
      seen.length === 0
        ? []
        : (
            await this.prisma.host.findMany({
              where: { id: { in: seen } },
              select: { id: true, powerState: true, powerStateSince: true },
            })
          ).map((h) => [h.id, h]),
    );
    const eligible = critical.filter((hostId) => {
      const record = records.get(hostId);
      if (record === undefined) return true;
      if (record.inRunningPlan) return false;
      const state = power.get(hostId);
      return (
        state?.powerState === 'ON' &&
        state.powerStateSince !== null &&
        (record.lastFinishedAt === null || state.powerStateSince > record.lastFinishedAt)
      );
    });
    if (eligible.length === 0) return;
    const running = await this.store.outages.runningAutomaticPlanId(outage.id);
    const inRunning = running === undefined ? new Set<string>() : await this.store.reads.hostIdsInPlan(running);
    const joining = eligible.filter((id) => !inRunning.has(id));
    const again = eligible.filter((id) => inRunning.has(id));
    if (running !== undefined && joining.length > 0) {
      const added = await this.factory.extend(running, joining, snapshot);
      this.planned += added;
      if (added > 0) await this.record('extended', outage.id, this.summaries(joining, hosts), running);
    }
    const fresh = running === undefined ? eligible : again;
    if (fresh.length === 0) return;
    const round = (await this.store.outages.automaticPlanCount(outage.id)) + 1;
    const { planId, created } = await this.factory.create({
      hostIds: fresh,
      mode: 'ARMED',
      reason: `automatic: ${fresh.length} critical host(s) in outage ${outage.id}`,
      createdBy: AUTOMATIC_PLAN_CREATOR,
      targets: { automatic: true, outageId: outage.id },
      dedupKey: `outage:${outage.id}:${round}`,
      outageId: outage.id,
      snapshot,
    });
    if (created) {
      this.planned += fresh.length;
      await this.record('created', outage.id, this.summaries(fresh, hosts), planId);
    }
  }

  private summaries(
    hostIds: readonly string[],
    hosts: ReadonlyArray<{ hostId: string; critical: boolean; summary: string }>,
  ): Record<string, unknown> {
    const wanted = new Set(hostIds);
    return {
      criticalHosts: hostIds.length,
      summaries: hosts
        .filter((h) => wanted.has(h.hostId))
        .slice(0, 50)
        .map((h) => ({ hostId: h.hostId, summary: h.summary })),
    };
  }

  /** A decision in the outage's timeline; `decidedAt` is the instant the evaluation judged (its `now`). */
  private async record(event: string, outageId: string, data: Record<string, unknown>, planId?: string): Promise<void> {
    await this.prisma.powerEvent.create({
      data: {
        type: 'DECISION',
        ...(planId !== undefined ? { planId } : {}),
        data: { event, outageId, at: Date.now(), decidedAt: this.decidedAt, ...data } as object,
      },
    });
  }
}

function snapshotOf(outage: OutageRow): OutageSnapshot {
  return {
    id: outage.id,
    state: STATE[outage.state],
    openedAt: outage.openedAt.getTime(),
    ...(outage.timersFrom !== null ? { timersFrom: outage.timersFrom.getTime() } : {}),
    upsIds: outage.upsIds,
    ...(outage.powerBackAt !== null ? { powerBackAt: outage.powerBackAt.getTime() } : {}),
    disarmed: outage.disarmedAt !== null,
  };
}
