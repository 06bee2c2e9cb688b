import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { PrismaService, sqlRows } from '@nutfleet/db';
import { PeriodicTask } from '@nutfleet/runtime';

import { DiscoveryJobsQueue } from './discovery-jobs.queue';
import { DiscoveryResultRecorder } from './discovery-result.recorder';

/** How often unfinished discovery runs are checked against Redis. */
const RECONCILE_INTERVAL_MS = 30_000;
/** A line younger than this may still be on its way into Redis (the orchestrator enqueues in batches). */
const ENQUEUE_GRACE_MS = 30_000;
/** A run still open after this long is closed: its hosts are reported as not discovered. */
const ABANDON_AFTER_MS = 24 * 3600_000;
/** Redis lookups in flight at once. */
const LOOKUPS_IN_FLIGHT = 100;

interface PendingLine {
  readonly runId: string;
  readonly hostId: string;
  readonly createdAt: Date;
}

/**
 * Finishes discovery runs whose jobs Redis lost (flushed, restarted empty, a failover without
 * persistence): every PENDING line of an open run is checked for its deterministic job
 * (`discover-<runId>-<hostId>`); a missing one is added again, as is a finished job that left its
 * line open (the worker died or PostgreSQL failed while recording). A run still open a day later
 * is closed, its remaining hosts failed with a message saying to start discovery again — so a
 * run's progress always ends, and never by guessing a result.
 *
 * Runs in every worker: adding a job under an id Redis already holds is a no-op, and lines close
 * through the recorder's conditional updates.
 */
@Injectable()
export class DiscoveryRunReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DiscoveryRunReconciler.name);
  private readonly loop = new PeriodicTask({
    run: async () => {
      await this.reconcile();
    },
    intervalMs: RECONCILE_INTERVAL_MS,
    onError: (error) =>
      this.logger.warn(`discovery reconcile pass failed: ${error instanceof Error ? error.message : String(error)}`),
  });

  public constructor(
    private readonly prisma: PrismaService,
    private readonly queue: DiscoveryJobsQueue,
    private readonly recorder: DiscoveryResultRecorder,
  ) {}

  public onApplicationBootstrap(): void {
    this.loop.start();
  }

  public async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass; returns how many lines were re-enqueued and how many were closed as abandoned. */
  public async reconcile(now = Date.now()): Promise<{ requeued: number; abandoned: number }> {
    const lines = await sqlRows<PendingLine>(
      this.prisma.pool,
      `SELECT l."runId"::text AS "runId", l."hostId"::text AS "hostId", r."createdAt"
         FROM "DiscoveryRunHost" l JOIN "DiscoveryRun" r ON r."id" = l."runId"
        WHERE r."finishedAt" IS NULL AND l."state" = 'PENDING'::"DiscoveryState" AND r."createdAt" < $1::timestamp(3)
        ORDER BY r."createdAt"`,
      [new Date(now - ENQUEUE_GRACE_MS).toISOString()],
    );
    let requeued = 0;
    let abandoned = 0;
    for (let i = 0; i < lines.length && !this.loop.stopped; i += LOOKUPS_IN_FLIGHT) {
      await Promise.all(
        lines.slice(i, i + LOOKUPS_IN_FLIGHT).map(async (line) => {
          if (now - line.createdAt.getTime() > ABANDON_AFTER_MS) {
            await this.recorder.failed(
              line.runId,
              line.hostId,
              'Discovery failed: not discovered within 24 h of the request (its job was lost); start discovery again',
              { final: true, onHost: false, at: new Date(now) },
            );
            abandoned++;
            return;
          }
          const presence = await this.queue.presence(line.runId, line.hostId);
          if (presence === 'alive') return;
          await this.queue.readd(line.runId, line.hostId, presence);
          requeued++;
        }),
      );
    }
    if (requeued > 0 || abandoned > 0)
      this.logger.warn(
        `discovery runs: re-enqueued ${requeued} host(s) whose job Redis no longer held, closed ${abandoned} abandoned line(s)`,
      );
    return { requeued, abandoned };
  }
}
