import { Injectable, Logger } from '@nestjs/common';

import { Prisma, PrismaService } from '@nutfleet/db';
import { jobId, JobName } from '@nutfleet/queue';

import { JobProducer } from '../queues/job-producer.service';
import { type NotificationDraft } from './notification-events';

/**
 * Creates one delivery row per (channel, source event) and queues its job. The row is the
 * truth: a job Redis could not take is re-queued by the dispatcher's sweep, never lost.
 */
@Injectable()
export class NotificationEnqueuer {
  private readonly logger = new Logger(NotificationEnqueuer.name);

  public constructor(
    private readonly prisma: PrismaService,
    private readonly producer: JobProducer,
  ) {}

  /** The new delivery's id, or null when this event was already delivered to this channel. */
  public async create(channelId: string, draft: NotificationDraft, test = false): Promise<string | null> {
    let id: string;
    try {
      const row = await this.prisma.notificationDelivery.create({
        data: {
          channelId,
          eventType: draft.message.eventType,
          severity: draft.message.severity,
          dedupKey: draft.dedupKey,
          message: draft.message as unknown as Prisma.InputJsonValue,
          test,
        },
        select: { id: true },
      });
      id = row.id;
    } catch (error) {
      // Another replica (or an earlier tick) saw the same event first.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
    await this.enqueue(id);
    return id;
  }

  /** Adds the job; a duplicate add of a known job id is a no-op in BullMQ. */
  public async enqueue(deliveryId: string): Promise<void> {
    try {
      await this.producer.add(JobName.DeliverNotification, { deliveryId }, { jobId: jobId('notify', deliveryId) });
    } catch (error) {
      this.logger.warn(
        `delivery ${deliveryId} not queued yet (${error instanceof Error ? error.message : String(error)}); the sweep retries`,
      );
    }
  }
}
