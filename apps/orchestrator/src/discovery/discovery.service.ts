import {
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';

import { type Prisma, PrismaService } from '@nutfleet/db';
import { discoveryJobId, JobName } from '@nutfleet/queue';

import { JobProducer } from '../queues/job-producer.service';
import { type DiscoverFleetDto, type DiscoveryQueuedDto, type DiscoveryRunDto } from './discovery.dto';

/** A second POST for the same host within this time returns the pending run instead of a new one. */
const PENDING_REUSE_MS = 10 * 60_000;
/** Jobs enqueued at once while creating a fleet run (Redis round trips in flight). */
const ENQUEUE_BATCH = 100;
const MAX_ERRORS_LISTED = 1000;

/**
 * Discovery runs: one per request, for one host or a fleet filter, stored in PostgreSQL with a
 * line per host (DiscoveryRunHost). Each host is one `inventory.discover-host` job with the
 * deterministic id `discover-<runId>-<hostId>`; the worker moves its line to SUCCEEDED or FAILED.
 * How many SSH sessions run at once is the worker's concurrency on the inventory queue
 * (WORKER_CONCURRENCY per worker process), whatever the size of the run.
 */
@Injectable()
export class DiscoveryService {
  private readonly logger = new Logger(DiscoveryService.name);

  public constructor(
    private readonly prisma: PrismaService,
    private readonly producer: JobProducer,
  ) {}

  public async discoverHost(hostId: string, actor: string | null): Promise<DiscoveryQueuedDto> {
    const host = await this.prisma.host.findUnique({ where: { id: hostId }, select: { id: true } });
    if (host === null) throw new NotFoundException(`host ${hostId} does not exist`);
    const pending = await this.prisma.discoveryRunHost.findFirst({
      where: {
        hostId,
        state: 'PENDING',
        run: { total: 1, createdAt: { gt: new Date(Date.now() - PENDING_REUSE_MS) } },
      },
      orderBy: { run: { createdAt: 'desc' } },
    });
    if (pending) {
      // Same job id: a no-op while BullMQ still has the job, a re-enqueue if Redis lost it.
      await this.enqueue(pending.runId, [hostId]);
      return this.queued(pending.runId, 1, true);
    }
    const run = await this.createRun({ hostIds: [hostId] }, [hostId], actor);
    await this.enqueue(run.id, [hostId]);
    return this.queued(run.id, 1, false);
  }

  public async discoverFleet(filter: DiscoverFleetDto, actor: string | null): Promise<DiscoveryQueuedDto> {
    const where: Prisma.HostWhereInput = {
      ...(filter.hostIds ? { id: { in: filter.hostIds } } : {}),
      ...(filter.groupId ? { groupId: filter.groupId } : {}),
      ...(filter.tags ? { tags: { hasEvery: filter.tags } } : {}),
    };
    const hosts = await this.prisma.host.findMany({ where, select: { id: true }, orderBy: { name: 'asc' } });
    if (hosts.length === 0) throw new UnprocessableEntityException('filter: no host matches it; nothing was queued');
    const ids = hosts.map((h) => h.id);
    const run = await this.createRun({ ...filter }, ids, actor);
    await this.enqueue(run.id, ids);
    return this.queued(run.id, ids.length, false);
  }

  public async run(id: string): Promise<DiscoveryRunDto> {
    const run = await this.prisma.discoveryRun.findUnique({ where: { id } });
    if (run === null) throw new NotFoundException(`discovery run ${id} does not exist`);
    // One snapshot for both reads: counted separately, a host finishing in between could be
    // counted as failed while its error is not listed yet.
    const lines = (tx: Prisma.TransactionClient, where: Prisma.DiscoveryRunHostWhereInput) =>
      tx.discoveryRunHost.findMany({
        where: { runId: id, ...where },
        select: { hostId: true, error: true, finishedAt: true, host: { select: { name: true } } },
        orderBy: { finishedAt: 'asc' },
        take: MAX_ERRORS_LISTED,
      });
    const [counts, failures, incomplete, incompleteCount] = await this.prisma.$transaction(
      async (tx) =>
        [
          await tx.discoveryRunHost.groupBy({ by: ['state'], where: { runId: id }, _count: { _all: true } }),
          await lines(tx, { state: 'FAILED' }),
          // A host that answered but with some reads failed: SUCCEEDED, with the failed reads as error.
          await lines(tx, { state: 'SUCCEEDED', error: { not: null } }),
          await tx.discoveryRunHost.count({ where: { runId: id, state: 'SUCCEEDED', error: { not: null } } }),
        ] as const,
      { isolationLevel: 'RepeatableRead' },
    );
    const listed = (rows: typeof failures) =>
      rows.map((f) => ({
        hostId: f.hostId,
        hostName: f.host.name,
        error: f.error ?? '',
        at: f.finishedAt?.toISOString() ?? null,
      }));
    const count = (state: 'PENDING' | 'SUCCEEDED' | 'FAILED'): number =>
      counts.find((c) => c.state === state)?._count._all ?? 0;
    const succeeded = count('SUCCEEDED');
    const failed = count('FAILED');
    return {
      id: run.id,
      // The lines are the truth; finishedAt is when the last one closed.
      state: count('PENDING') === 0 ? 'finished' : 'running',
      filter: run.filter,
      total: run.total,
      done: succeeded + failed,
      succeeded,
      failed,
      pending: count('PENDING'),
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
      errors: listed(failures),
      incomplete: incompleteCount,
      incompleteHosts: listed(incomplete),
    };
  }

  private async createRun(filter: Prisma.InputJsonObject, hostIds: readonly string[], actor: string | null) {
    return this.prisma.$transaction(async (tx) => {
      const run = await tx.discoveryRun.create({ data: { filter, total: hostIds.length, createdBy: actor } });
      await tx.discoveryRunHost.createMany({ data: hostIds.map((hostId) => ({ runId: run.id, hostId })) });
      return run;
    });
  }

  /**
   * Adds one job per host. If Redis refuses, the hosts not queued are closed as FAILED with a
   * message saying so (the run still finishes) and the request gets a 503.
   */
  private async enqueue(runId: string, hostIds: readonly string[]): Promise<void> {
    for (let i = 0; i < hostIds.length; i += ENQUEUE_BATCH) {
      const batch = hostIds.slice(i, i + ENQUEUE_BATCH);
      try {
        await Promise.all(
          batch.map((hostId) =>
            this.producer.add(JobName.DiscoverHost, { runId, hostId }, { jobId: discoveryJobId(runId, hostId) }),
          ),
        );
      } catch (error) {
        const notQueued = hostIds.slice(i);
        await this.closeUnqueued(runId, notQueued);
        this.logger.error(`discovery run ${runId}: ${notQueued.length} host(s) not queued: ${String(error)}`);
        throw new ServiceUnavailableException(
          `The job queue (Redis) is unreachable: ${notQueued.length} of ${hostIds.length} host(s) were not queued ` +
            `(discovery run ${runId} records them as failed). Try again once /ready reports redis up.`,
        );
      }
    }
  }

  private async closeUnqueued(runId: string, hostIds: readonly string[]): Promise<void> {
    const at = new Date();
    await this.prisma.$transaction(async (tx) => {
      await tx.discoveryRunHost.updateMany({
        where: { runId, hostId: { in: [...hostIds] }, state: 'PENDING' },
        data: {
          state: 'FAILED',
          error: 'Discovery failed: could not be queued (Redis unreachable); start it again',
          finishedAt: at,
        },
      });
      // Same lock as the worker's, so the last line to finish always closes the run.
      await tx.$queryRaw`SELECT 1 FROM "DiscoveryRun" WHERE "id" = ${runId}::uuid FOR UPDATE`;
      const pending = await tx.discoveryRunHost.count({ where: { runId, state: 'PENDING' } });
      if (pending === 0)
        await tx.discoveryRun.updateMany({ where: { id: runId, finishedAt: null }, data: { finishedAt: at } });
    });
  }

  private queued(runId: string, total: number, alreadyPending: boolean): DiscoveryQueuedDto {
    return { runId, total, statusUrl: `/discovery-runs/${runId}`, alreadyPending };
  }
}
