import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { planReportUrl } from '@nutfleet/plan';
import { PeriodicTask } from '@nutfleet/runtime';

import {
  hostEventDraft,
  type NotificationDraft,
  planCreatedDraft,
  planFinishedDraft,
  powerEventDrafts,
} from './notification-events';
import { FleetReadinessAlerts } from '../fleet-readiness/fleet-readiness.alerts';
import { OrchestratorPlanStore } from '../plan-store/plan-store.module';
import { NotificationEnqueuer } from './notification-enqueuer.service';
import { type RoutableChannel, routeEvent } from './notification-routing';
import { outageClosedDraft, outageOpenedDraft } from './outage-events';
import { restartWaveFinishedDraft, restartWaveStartedDraft } from './restart-wave-events';
import { ThresholdAlertEvaluator } from './thresholds/threshold-alert.evaluator';
import { upsAddress, UpsNotificationContext } from './ups-context';

const BATCH = 500;
/** Plans, outages and steps are found by time; rows committed a little late are caught by re-reading this overlap. */
const OVERLAP_MS = 10_000;
/** Deliveries still unqueued after this long are queued again (Redis was down at creation). */
const SWEEP_AFTER_MS = 30_000;

/**
 * Tails the event sources (power events, plans, restart waves, outages, host events) from
 * PostgreSQL, evaluates the threshold alerts, and creates
 * deliveries for the routed channels. Runs on every replica: cursors are shared in
 * NotificationCursor and deliveries are unique per (channel, event), so two replicas never
 * notify twice. It only reads and enqueues: a failing channel is the worker's business and
 * never slows the monitor or a plan.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private failing = false;
  private readonly loop: PeriodicTask;
  private readonly publicUrl: string;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly store: OrchestratorPlanStore,
    private readonly enqueuer: NotificationEnqueuer,
    private readonly thresholds: ThresholdAlertEvaluator,
    private readonly readiness: FleetReadinessAlerts,
    private readonly context: UpsNotificationContext,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = config.http.publicUrl;
    // tick() reports its own failures (once per outage of the database), so onError only
    // catches what escapes it.
    this.loop = new PeriodicTask({
      run: () => this.tick(),
      intervalMs: config.notifications.dispatchIntervalMs,
      onError: (error) => this.logger.warn(`notification dispatch failed: ${String(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    this.loop.start();
  }

  // Before the shutdown phase that disconnects PostgreSQL: a pass cut off mid-transaction would
  // leave the client's disconnect waiting on it.
  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass over every source; public for tests. */
  public async tick(): Promise<void> {
    try {
      const channels: RoutableChannel[] = await this.prisma.notificationChannel.findMany({
        where: { enabled: true },
        select: { id: true, enabled: true, routes: { select: { eventTypes: true, minSeverity: true } } },
      });
      const send = async (draft: NotificationDraft): Promise<void> => {
        for (const channelId of routeEvent(channels, draft.message.eventType, draft.message.severity)) {
          await this.enqueuer.create(channelId, draft);
        }
      };
      await this.powerEvents(send);
      await this.plans(send);
      await this.restartWaves(send);
      await this.outages(send);
      await this.hostEvents(send);
      await this.thresholds.evaluate(send);
      await this.readiness.evaluate(send);
      await this.sweep();
      if (this.failing) this.logger.log('notification dispatch works again');
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.logger.warn(`notification dispatch failed: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    }
  }

  private async cursor(source: string, initial: () => Promise<string>): Promise<string> {
    const row = await this.prisma.notificationCursor.findUnique({ where: { source } });
    if (row) return row.position;
    // First run: start from now; what happened before notifications existed is not sent.
    const position = await initial();
    await this.prisma.notificationCursor.upsert({ where: { source }, create: { source, position }, update: {} });
    return position;
  }

  private async advance(source: string, position: string): Promise<void> {
    await this.prisma.notificationCursor.upsert({
      where: { source },
      create: { source, position },
      update: { position },
    });
  }

  private async powerEvents(send: (d: NotificationDraft) => Promise<void>): Promise<void> {
    const last = BigInt(
      await this.cursor('power-event', async () =>
        String((await this.prisma.powerEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n),
      ),
    );
    const rows = await this.prisma.powerEvent.findMany({
      where: { id: { gt: last } },
      orderBy: { id: 'asc' },
      take: BATCH,
      include: { ups: { select: { name: true, variables: true, nutServer: { select: { host: true, port: true } } } } },
    });
    const hosts = await this.context.hostsFedBy(rows.flatMap((row) => (row.upsId === null ? [] : [row.upsId])));
    for (const row of rows) {
      const vars = (row.ups?.variables ?? {}) as Record<string, unknown>;
      const text = (name: string): string | null => (typeof vars[name] === 'string' ? (vars[name] as string) : null);
      const drafts = powerEventDrafts({
        id: row.id,
        type: row.type,
        upsId: row.upsId,
        status: row.status,
        previousStatus: row.previousStatus,
        receivedAt: row.receivedAt,
        upsAddress: row.ups ? upsAddress(row.ups) : null,
        charge: text('battery.charge'),
        runtime: text('battery.runtime'),
        hosts: row.upsId === null ? [] : (hosts.get(row.upsId) ?? []),
      });
      for (const draft of drafts) await send(draft);
    }
    const lastRow = rows.at(-1);
    if (lastRow) await this.advance('power-event', lastRow.id.toString());
  }

  private async plans(send: (d: NotificationDraft) => Promise<void>): Promise<void> {
    const { since, startedAt } = await this.since('plan');
    for (const source of await this.store.reads.changedSince(since, BATCH)) {
      const created = source.createdAt > since ? planCreatedDraft(source) : null;
      if (created) await send(created);
      const finished = planFinishedDraft(source, planReportUrl(this.publicUrl, source.id));
      if (finished) await send(finished);
    }
    await this.advance('plan', startedAt.toISOString());
  }

  /** Time-tailed sources: read from the cursor minus the overlap, then move the cursor to when the read began. */
  private async since(source: string): Promise<{ since: Date; startedAt: Date }> {
    const startedAt = new Date();
    const position = await this.cursor(source, async () => startedAt.toISOString());
    return { since: new Date(new Date(position).getTime() - OVERLAP_MS), startedAt };
  }

  private async restartWaves(send: (d: NotificationDraft) => Promise<void>): Promise<void> {
    const { since, startedAt } = await this.since('restart-wave');
    for (const wave of await this.store.reads.restartWavesChangedSince(since, BATCH)) {
      const started = restartWaveStartedDraft(wave);
      if (started) await send(started);
      const finished = restartWaveFinishedDraft(wave);
      if (finished) await send(finished);
    }
    await this.advance('restart-wave', startedAt.toISOString());
  }

  private async outages(send: (d: NotificationDraft) => Promise<void>): Promise<void> {
    const { since, startedAt } = await this.since('outage');
    const rows = await this.store.outages.changedSince(since, BATCH);
    if (rows.length > 0) {
      const upsIds = [...new Set(rows.flatMap((o) => o.upsIds))];
      const upses = new Map(
        (
          await this.prisma.ups.findMany({
            where: { id: { in: upsIds } },
            select: { id: true, name: true, nutServer: { select: { host: true, port: true } } },
          })
        ).map((u) => [u.id, upsAddress(u)]),
      );
      const hosts = await this.context.hostsFedBy(upsIds);
      for (const o of rows) {
        const source = {
          id: o.id,
          openedAt: o.openedAt,
          closedAt: o.closedAt,
          closeReason: o.closeReason,
          disarmedBy: o.disarmedBy,
          upses: o.upsIds.map((id) => upses.get(id) ?? 'a removed UPS'),
          hosts: [...new Set(o.upsIds.flatMap((id) => hosts.get(id) ?? []))].sort(),
        };
        if (o.createdAt > since) await send(outageOpenedDraft(source));
        const closed = outageClosedDraft(source);
        if (closed) await send(closed);
      }
    }
    await this.advance('outage', startedAt.toISOString());
  }

  private async hostEvents(send: (d: NotificationDraft) => Promise<void>): Promise<void> {
    const last = BigInt(
      await this.cursor('host-event', async () =>
        String((await this.prisma.hostEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n),
      ),
    );
    const rows = await this.prisma.hostEvent.findMany({
      where: { id: { gt: last } },
      orderBy: { id: 'asc' },
      take: BATCH,
      include: { host: { select: { name: true } } },
    });
    for (const row of rows) {
      const draft = hostEventDraft({
        id: row.id,
        type: row.type,
        hostId: row.hostId,
        hostName: row.host.name,
        message: row.message,
        at: row.at,
      });
      if (draft) await send(draft);
    }
    const lastRow = rows.at(-1);
    if (lastRow) await this.advance('host-event', lastRow.id.toString());
  }

  private async sweep(): Promise<void> {
    const stale = await this.prisma.notificationDelivery.findMany({
      where: { state: 'PENDING', attempts: 0, createdAt: { lt: new Date(Date.now() - SWEEP_AFTER_MS) } },
      select: { id: true },
      take: BATCH,
    });
    for (const { id } of stale) await this.enqueuer.enqueue(id);
  }
}
