import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { PrismaService } from '@nutfleet/db';
import { JobName, type JobPayload } from '@nutfleet/queue';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes UPS samples past their retention: the monitor writes one per UPS at every change, so
 * without this the charts' history (and the table) would grow for ever.
 */
@Injectable()
@HandlesJob(JobName.PruneUpsSamples)
export class PruneUpsSamplesHandler implements JobHandler<typeof JobName.PruneUpsSamples> {
  private readonly logger = new Logger(PruneUpsSamplesHandler.name);

  public constructor(private readonly prisma: PrismaService) {}

  public async handle(job: Job<JobPayload<typeof JobName.PruneUpsSamples>>): Promise<{ deleted: number }> {
    const cutoff = new Date(Date.now() - job.data.retentionDays * DAY_MS);
    const { count } = await this.prisma.upsSample.deleteMany({ where: { at: { lt: cutoff } } });
    this.logger.log(`pruned ${count} UPS sample(s) taken before ${cutoff.toISOString()}`);
    return { deleted: count };
  }
}
