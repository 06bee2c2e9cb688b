import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { type Drill, type DrillState, type Prisma, PrismaService } from '@nutfleet/db';
import { systemCancel } from '@nutfleet/plan';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { PlanCancelService } from '../plans/plan-cancel.service';
import { RestartPlanFactory } from '../restart/restart-plan.factory';
import { DrillReportLoader } from './drill-report.loader';

const OPEN_PLAN_STATES = new Set(['PENDING', 'RUNNING']);

/**
 * Moves every running drill on: a rehearsal ends with its dry-run plan; a live drill's armed
 * shutdown is followed by the Wake-on-LAN restart of the hosts it powered off (the restart
 * plan's own gates apply), and ends with it. Each drill ends in a report written once.
 *
 * A real outage always wins: once one is open, the drill's plans are cancelled (steps under way
 * finish; the outage's automatic plan has already taken the hosts' steps not started) and the
 * drill ends YIELDED — no drill wakes a host during an outage.
 *
 * Every replica may run it: each move is a conditional update (or a plan's dedup key), so two
 * replicas never make two restart plans or two reports for one drill.
 */
@Injectable()
export class DrillSupervisor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Drills');
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly cancels: PlanCancelService,
    private readonly restarts: RestartPlanFactory,
    private readonly reports: DrillReportLoader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: () => this.tick(),
      intervalMs: config.plans.evaluateIntervalMs,
      onError: (error) => this.logger.warn(`drill supervision failed: ${errorText(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  public async tick(): Promise<void> {
    const drills = await this.prisma.drill.findMany({ where: { state: 'RUNNING' }, orderBy: { createdAt: 'asc' } });
    if (drills.length === 0) return;
    const outage = await this.store.outages.current();
    for (const drill of drills) {
      try {
        // Once a drill began to yield it never goes on, even if the outage is already over.
        if (drill.yieldedTo !== null) await this.yieldTo(drill, drill.yieldedTo);
        else if (outage !== null) await this.yieldTo(drill, outage.id);
        else await this.advance(drill);
      } catch (error) {
        this.logger.warn(`drill ${drill.id}: ${errorText(error)}`);
      }
    }
  }

  private async planState(id: string | null): Promise<string | null> {
    return id === null ? null : this.store.reads.planState(id);
  }

  private async yieldTo(drill: Drill, outageId: string): Promise<void> {
    const why = `a real outage (${outageId}) began: the drill yields to it`;
    if (drill.yieldedTo === null)
      await this.prisma.drill.updateMany({ where: { id: drill.id, yieldedTo: null }, data: { yieldedTo: outageId } });
    let open = false;
    for (const planId of [drill.shutdownPlanId, drill.restartPlanId]) {
      if (planId === null) continue;
      await this.cancels.cancel(planId, { reason: why, by: systemCancel(why) });
      if (OPEN_PLAN_STATES.has((await this.planState(planId)) ?? '')) open = true;
    }
    // The report waits for the steps that were already running, so it shows how they ended.
    if (open) return;
    // The outage's restart wakes only what its own plans took down: say what the drill left off.
    const leftOff =
      drill.shutdownPlanId === null
        ? 0
        : await this.store.reads.countSteps(drill.shutdownPlanId, 'host-power-off', 'SUCCEEDED');
    const woken =
      drill.restartPlanId === null
        ? 0
        : await this.store.reads.countSteps(drill.restartPlanId, 'verify-esxi', 'SUCCEEDED');
    await this.finish(
      drill,
      'YIELDED',
      leftOff > woken
        ? `${why}; ${leftOff - woken} host(s) it powered off are still off: wake them after the outage (POST /plans/restart with shutdownPlanId ${drill.shutdownPlanId})`
        : why,
    );
  }

  private async advance(drill: Drill): Promise<void> {
    const shutdown = await this.planState(drill.shutdownPlanId);
    if (shutdown === null) return this.finish(drill, 'FAILED', 'its shutdown plan no longer exists');
    if (OPEN_PLAN_STATES.has(shutdown)) return;
    if (drill.kind === 'REHEARSAL')
      return this.finish(
        drill,
        shutdown === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
        shutdown === 'SUCCEEDED' ? null : `the rehearsal plan ended ${shutdown}`,
      );
    if (drill.restartPlanId === null) return this.startRestart(drill, shutdown);
    const restart = await this.planState(drill.restartPlanId);
    if (restart !== null && OPEN_PLAN_STATES.has(restart)) return;
    const ok = shutdown === 'SUCCEEDED' && restart === 'SUCCEEDED';
    await this.finish(
      drill,
      ok ? 'SUCCEEDED' : 'FAILED',
      ok ? null : `shutdown plan ${shutdown}, restart plan ${restart ?? 'missing'}`,
    );
  }

  /** Wakes whatever the drill's shutdown powered off, even when some hosts failed to go down. */
  private async startRestart(drill: Drill, shutdown: string): Promise<void> {
    const shutdownPlanId = drill.shutdownPlanId as string;
    const options = { hostIds: drill.hostIds, includeHostsDownBeforeOutage: false, shutdownPlanId };
    const preview = await this.restarts.preview(options);
    if (preview.plan.waves.length === 0)
      return this.finish(drill, 'FAILED', `the shutdown plan ended ${shutdown} and took no host down to wake`);
    const { planId } = await this.restarts.create({
      ...options,
      mode: 'ARMED',
      reason: `live drill ${drill.id} of group ${drill.groupName}: Wake-on-LAN restart`,
      createdBy: drill.requestedBy,
      targets: { hosts: drill.hostIds },
      dedupKey: `drill:${drill.id}:restart`,
    });
    await this.prisma.drill.updateMany({
      where: { id: drill.id, restartPlanId: null },
      data: { restartPlanId: planId },
    });
    this.logger.log(`live drill ${drill.id}: restart plan ${planId} started`);
  }

  private async finish(drill: Drill, state: DrillState, error: string | null): Promise<void> {
    const finishedAt = new Date();
    const report = await this.reports.build(drill, finishedAt, state, error);
    const done = await this.prisma.drill.updateMany({
      where: { id: drill.id, state: 'RUNNING' },
      data: { state, finishedAt, error, report: report as unknown as Prisma.InputJsonValue },
    });
    if (done.count > 0)
      this.logger.log(
        `${drill.kind === 'LIVE' ? 'live drill' : 'rehearsal'} ${drill.id} of ${drill.groupName} ended ${state}${error !== null ? `: ${error}` : ''}`,
      );
  }
}
