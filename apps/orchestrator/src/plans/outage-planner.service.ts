import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { AUTOMATIC_PLAN_CREATOR, systemCancel } from '@nutfleet/plan';
import { errorText, PeriodicTask } from '@nutfleet/runtime';
import { decideFleet, evaluatePowerReturn, type PlanStepState } from '@nutfleet/power';

import { PowerMonitorLeadership } from '../power-monitor/power-monitor.leadership';
import { PowerMonitorService } from '../power-monitor/power-monitor.service';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { FleetSnapshotLoader, type FleetSnapshot } from './fleet-snapshot.loader';
import { PlanCancelService } from './plan-cancel.service';
import { PlanFactory } from './plan-factory.service';
import { outageKey, outageOver } from './outage-plan.rules';

/** A verdict due by time alone is re-evaluated then, but never sooner than this after the last. */
export const EARLIEST_REEVALUATION_MS = 50;

const STEP_STATE: Record<string, PlanStepState> = {
  PENDING: 'pending',
  QUEUED: 'pending',
  RUNNING: 'running',
  SUCCEEDED: 'done',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  SKIPPED: 'skipped',
};

/**
 * Automatic shutdown plans, on the power-monitor leader only: every PLAN_EVALUATE_INTERVAL_MS
 * (sooner when `decideFleet` says a verdict changes by time alone) it rebuilds the UPS
 * histories from the recorded PowerEvents, decides which hosts are critical, and
 *  - creates ONE armed plan per outage (unique dedupKey; a later critical host joins that plan
 *    as new steps, never a second plan, never a host twice);
 *  - cancels not-started steps of the outage's plan when power is back before its point of no
 *    return (`evaluatePowerReturn`); after it the plan completes.
 * State lives in PostgreSQL, so a new leader continues where the old one stopped.
 */
@Injectable()
export class OutagePlanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutagePlanner.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly factory: PlanFactory,
    private readonly cancels: PlanCancelService,
    private readonly leadership: PowerMonitorLeadership,
    private readonly monitor: PowerMonitorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: () => (this.leadership.isLeader ? this.evaluate() : Promise.resolve(undefined)),
      intervalMs: config.plans.evaluateIntervalMs,
      minDelayMs: EARLIEST_REEVALUATION_MS,
      onError: (error) => this.logger.warn(`evaluation failed: ${errorText(error)}`),
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
    const began = Date.now();
    const snapshot = await this.snapshots.load(now);
    const loadedMs = Date.now() - began;
    const latest = await this.store.reads.latestAutomaticShutdown();
    const detail = latest?.detail;
    // A restart plan made after it means power came back and the outage ended, even if a UPS is
    // on battery again now: that is a new outage, with a new plan that takes the woken hosts down.
    const restartedSince = latest !== undefined && (await this.store.reads.armedRestartSince(latest.createdAt));
    const current =
      latest &&
      detail &&
      !restartedSince &&
      !outageOver(detail.upsIds ?? [], latest.createdAt.getTime(), snapshot.histories, now)
        ? latest
        : undefined;

    let recheckAt: number | undefined;
    // Power return applies to the latest automatic plan while it still runs, whether or not its
    // outage counts as over: power being back on every UPS of the plan is exactly what ends the
    // outage (outageOver), so gating this on `current` would never cancel anything.
    const running =
      latest && detail && latest.cancelledAt === null && (latest.state === 'PENDING' || latest.state === 'RUNNING')
        ? latest
        : undefined;
    if (running && detail) {
      const back = evaluatePowerReturn({
        planStartedAt: running.createdAt.getTime(),
        pointOfNoReturnSeconds: detail.pointOfNoReturnSeconds ?? 60,
        powerBackConfirmSeconds: detail.powerBackConfirmSeconds ?? 10,
        upsIds: detail.upsIds ?? [],
        histories: snapshot.histories,
        steps: (await this.store.reads.stepStates(running.id)).map((s) => ({
          key: s.key,
          state: STEP_STATE[s.state] ?? 'pending',
        })),
        now,
      });
      recheckAt = back.recheckAt;
      if (back.action === 'cancel-pending') {
        const result = await this.cancels.cancel(running.id, {
          reason: `power back before the point of no return: ${back.reasons.at(-1) ?? ''}`,
          by: systemCancel('power-back'),
        });
        this.logger.warn(`plan ${running.id}: power back before the point of no return, ${JSON.stringify(result)}`);
        return recheckAt;
      }
    }

    const decision = decideFleet({ ...snapshot, now });
    const critical = decision.criticalHostIds;
    const nextAt = [decision.nextEvaluationAt, recheckAt].filter((t): t is number => t !== undefined);
    const due = nextAt.length > 0 ? Math.min(...nextAt) : undefined;
    if (critical.length === 0) return due;

    if (current) {
      // An operator cancelled this outage's plan: nutfleet does not override that decision.
      if (current.cancelledAt !== null) return due;
      const added = await this.factory.extend(current.id, critical, snapshot);
      if (added > 0) await this.record(current.id, 'extended', critical, decision.hosts, snapshot);
      return due;
    }
    const criticalSet = new Set(critical);
    const upsIds = [...new Set(snapshot.feeds.filter((f) => criticalSet.has(f.hostId)).map((f) => f.upsId))];
    const creating = Date.now();
    const { planId, created } = await this.factory.create({
      hostIds: critical,
      mode: 'ARMED',
      reason: `automatic: ${critical.length} critical host(s)`,
      createdBy: AUTOMATIC_PLAN_CREATOR,
      targets: { automatic: true },
      dedupKey: outageKey(upsIds, snapshot.histories, now),
      snapshot,
    });
    if (created) {
      await this.record(planId, 'created', critical, decision.hosts, snapshot);
      this.logger.warn(
        `outage: plan ${planId} created for ${critical.length} critical host(s) ${Date.now() - began} ms after the evaluation began (snapshot ${loadedMs} ms, plan written ${Date.now() - creating} ms)`,
      );
    } else {
      await this.factory.extend(planId, critical, snapshot);
    }
    return due;
  }

  private async record(
    planId: string,
    event: string,
    critical: readonly string[],
    hosts: ReadonlyArray<{ hostId: string; critical: boolean; summary: string }>,
    snapshot: FleetSnapshot,
  ): Promise<void> {
    const summaries = hosts
      .filter((h) => h.critical)
      .slice(0, 50)
      .map((h) => ({ hostId: h.hostId, summary: h.summary }));
    await this.prisma.powerEvent.create({
      data: { type: 'DECISION', planId, data: { event, criticalHosts: critical.length, at: snapshot.now, summaries } },
    });
  }
}
