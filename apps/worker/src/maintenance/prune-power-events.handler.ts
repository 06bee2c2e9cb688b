import { Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { PrismaService } from '@nutfleet/db';
import { JobName, type JobPayload } from '@nutfleet/queue';

import { HandlesJob, type JobHandler } from '../jobs/job-handler';

const DAY_MS = 24 * 3600 * 1000;

/** Deletes power events past the retention period; the timeline of recent outages stays. */
@Injectable()
@HandlesJob(JobName.PrunePowerEvents)
export class PrunePowerEventsHandler implements JobHandler<typeof JobName.PrunePowerEvents> {
  private readonly logger = new Logger(PrunePowerEventsHandler.name);

  public constructor(private readonly prisma: PrismaService) {}

  public async handle(job: Job<JobPayload<typeof JobName.PrunePowerEvents>>): Promise<{ deleted: number }> {
    const cutoff = new Date(Date.now() - job.data.retentionDays * DAY_MS);
    const { count } = await this.prisma.powerEvent.deleteMany({ where: { receivedAt: { lt: cutoff } } });
    this.logger.log(`pruned ${count} power event(s) received before ${cutoff.toISOString()}`);
    return { deleted: count };
  }
}
