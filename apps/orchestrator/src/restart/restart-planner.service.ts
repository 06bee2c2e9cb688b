import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { restartPlanDetailOf } from '@nutfleet/plan';
import { errorText, PeriodicTask } from '@nutfleet/runtime';
import { readUpsTimeline, type UpsHistory } from '@nutfleet/power';

import { PowerMonitorLeadership } from '../power-monitor/power-monitor.leadership';
import { AUTOMATIC_PLAN_CREATOR } from '@nutfleet/plan';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { outageOver } from '../plans/outage-plan.rules';
import { EARLIEST_REEVALUATION_MS } from '../plans/outage-planner.service';
import { RestartGateKeeper } from './restart-gate.keeper';
import { RestartPlanFactory } from './restart-plan.factory';
import { restartDedupKey, restartDue } from './restart-trigger.rules';
import { hostsTakenDown } from './shutdown-measurement';

/**
 * Restart after an outage, on the power-monitor leader only (every PLAN_EVALUATE_INTERVAL_MS,
 * sooner when a gate opens by time alone):
 *  - once the outage's automatic shutdown plan has finished and its UPSes are back on line, ONE
 *    armed restart plan (dedup key per shutdown plan) for the hosts that shutdown took down;
 *  - the gates of every running restart plan (RestartGateKeeper).
 * State lives in PostgreSQL, so a new leader continues where the old one stopped.
 */
@Injectable()
export class RestartPlanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RestartPlanner.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly store: OrchestratorPlanStore,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly factory: RestartPlanFactory,
    private readonly gates: RestartGateKeeper,
    private readonly leadership: PowerMonitorLeadership,
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
    if (this.config.powerMonitor.enabled) this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One evaluation; returns when the next one is due by time alone. */
  public async evaluate(now = Date.now()): Promise<number | undefined> {
    const histories = await this.snapshots.loadHistories(now);
    await this.createAfterOutage(histories, now);
    const plans = await this.store.reads.openRestartPlans();
    const due: number[] = [];
    for (const plan of plans) {
      const { recheckAt } = await this.gates.evaluate(plan, histories, now);
      if (recheckAt !== undefined) due.push(recheckAt);
    }
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  private async createAfterOutage(histories: readonly UpsHistory[], now: number): Promise<void> {
    const shutdown = await this.store.reads.latestAutomaticShutdown();
    if (!shutdown || shutdown.state === 'PENDING' || shutdown.state === 'RUNNING') return;
    const upsIds = shutdown.detail.upsIds ?? [];
    if (!outageOver(upsIds, shutdown.createdAt.getTime(), histories, now)) return;

    const previous = await this.store.reads.restartsByKeyPrefix(restartDedupKey(shutdown.id, 1));
    const last = previous[0];
    const pausedAt = restartPlanDetailOf(last?.detail)?.pausedByPowerAt;
    const onLineSince = Math.min(
      ...histories
        .filter((h) => upsIds.includes(h.upsId))
        .map((h) => readUpsTimeline(h, now, 0).onLineSince ?? Number.POSITIVE_INFINITY),
    );
    const lastState = last ? { state: last.state, pausedByPowerAt: pausedAt ? Date.parse(pausedAt) : null } : undefined;
    if (!restartDue(lastState, Number.isFinite(onLineSince) ? onLineSince : undefined)) return;

    const hostIds = hostsTakenDown(await this.store.reads.powerOffSteps(shutdown.id));
    if (hostIds.length === 0) return;
    const { planId, created } = await this.factory.create({
      hostIds,
      includeHostsDownBeforeOutage: false,
      shutdownPlanId: shutdown.id,
      mode: 'ARMED',
      reason: `automatic: power back after shutdown plan ${shutdown.id}${previous.length > 0 ? ' (resumed after a pause)' : ''}`,
      createdBy: AUTOMATIC_PLAN_CREATOR,
      targets: { automatic: true, after: shutdown.id },
      dedupKey: restartDedupKey(shutdown.id, previous.length + 1),
    });
    if (created) this.logger.warn(`power back: restart plan ${planId} created for ${hostIds.length} host(s)`);
  }
}
