import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { dueRehearsalGroups } from '@nutfleet/plan';
import { errorText, PeriodicTask } from '@nutfleet/runtime';

import { PowerMonitorLeadership } from '../power-monitor/power-monitor.leadership';
import { DrillRefusedError } from './drill-errors';
import { DrillService } from './drill.service';

/** `Drill.requestedBy` of scheduled rehearsals. */
export const SCHEDULED_DRILL_ACTOR = 'schedule';

/**
 * Scheduled rehearsals (DRILL_REHEARSAL_INTERVAL_SECONDS, off by default): each chosen group is
 * rehearsed when its last rehearsal, scheduled or not, is older than the interval. On the
 * power-monitor leader only, so replicas do not rehearse a group twice. A group the rules refuse
 * now (an outage, a drill running) is tried again next tick.
 */
@Injectable()
export class DrillScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Drills');
  private readonly loop: PeriodicTask;

  public constructor(
    private readonly prisma: PrismaService,
    private readonly drills: DrillService,
    private readonly leadership: PowerMonitorLeadership,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new PeriodicTask({
      run: async () => {
        if (this.leadership.isLeader) await this.tick();
      },
      // Groups are met within a hundredth of the interval, between 1 s and a minute.
      intervalMs: Math.min(60_000, Math.max(1000, Math.floor(config.drills.rehearsalIntervalMs / 100))),
      onError: (error) => this.logger.warn(`drill schedule failed: ${errorText(error)}`),
    });
  }

  public onApplicationBootstrap(): void {
    if (this.config.drills.rehearsalIntervalMs > 0) this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Starts the rehearsals due now; returns the ids started. */
  public async tick(now = Date.now()): Promise<string[]> {
    const names = this.config.drills.rehearsalGroups;
    const groups = await this.prisma.hostGroup.findMany({
      where: { ...(names.length > 0 ? { name: { in: names } } : {}), hosts: { some: {} } },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
    });
    const last = await this.prisma.drill.groupBy({
      by: ['groupId'],
      where: { kind: 'REHEARSAL', groupId: { in: groups.map((g) => g.id) } },
      _max: { createdAt: true },
    });
    const lastAt = new Map(
      last.flatMap((l) =>
        l.groupId !== null && l._max.createdAt !== null ? [[l.groupId, l._max.createdAt.getTime()] as const] : [],
      ),
    );
    const started: string[] = [];
    for (const group of dueRehearsalGroups(groups, lastAt, this.config.drills.rehearsalIntervalMs, now)) {
      try {
        const drill = await this.drills.start(
          { kind: 'rehearsal', group: group.id, reason: 'scheduled rehearsal' },
          { actor: SCHEDULED_DRILL_ACTOR, role: null, requestId: null },
        );
        started.push(drill.id);
      } catch (error) {
        if (!(error instanceof DrillRefusedError)) throw error;
        this.logger.debug(`scheduled rehearsal of ${group.name} not started: ${error.message}`);
      }
    }
    return started;
  }
}
