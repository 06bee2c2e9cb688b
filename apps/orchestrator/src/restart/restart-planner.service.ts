import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { errorText, nextPassAt, PeriodicTask } from '@nutfleet/runtime';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { FleetSnapshotLoader } from '../plans/fleet-snapshot.loader';
import { PowerMonitorLeadership } from '../power-monitor/power-monitor.leadership';
import { RestartGateKeeper } from './restart-gate.keeper';

/** A gate due to open by time alone is looked at then, but never sooner than this after the last look. */
const EARLIEST_RECHECK_MS = 50;

/**
 * Drives the gates of every running restart plan on the power-monitor leader (every
 * PLAN_EVALUATE_INTERVAL_MS, sooner when a gate opens by time alone). The automatic restart
 * after an outage is made by the outage lifecycle (outages module); operators make theirs
 * through the API. State lives in PostgreSQL, so a new leader continues where the old one stopped.
 */
@Injectable()
export class RestartPlanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RestartPlanner.name);
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly store: OrchestratorPlanStore,
    private readonly snapshots: FleetSnapshotLoader,
    private readonly gates: RestartGateKeeper,
    private readonly leadership: PowerMonitorLeadership,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: async () => (this.leadership.isLeader ? nextPassAt(await this.evaluate()) : undefined),
      intervalMs: config.plans.evaluateIntervalMs,
      minDelayMs: EARLIEST_RECHECK_MS,
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
    const plans = await this.store.reads.openRestartPlans();
    if (plans.length === 0) return undefined;
    const histories = await this.snapshots.loadHistories(now);
    const due: number[] = [];
    for (const plan of plans) {
      const { recheckAt } = await this.gates.evaluate(plan, histories, now);
      if (recheckAt !== undefined) due.push(recheckAt);
    }
    return due.length > 0 ? Math.min(...due) : undefined;
  }
}
