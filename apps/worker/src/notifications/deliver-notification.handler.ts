import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Job } from 'bullmq';

import { APP_CONFIG, AppConfig } from '@nutfleet/config';
import { openSecret, PrismaService } from '@nutfleet/db';
import {
  ChannelConfigError,
  channelRequest,
  type EmailChannelSettings,
  maskSecrets,
  type NotificationChannelSecrets,
  type NotificationMessage,
  notificationSecretContext,
  renderEmail,
  secretValues,
} from '@nutfleet/notify';
import { JobName, type JobPayload } from '@nutfleet/queue';

import { shouldRetry } from '../jobs/job-failure.policy';
import { HandlesJob, type JobHandler } from '../jobs/job-handler';
import { NotificationSendError, sendEmail, sendHttp } from './notification-senders';

type Payload = JobPayload<typeof JobName.DeliverNotification>;

/**
 * Sends one delivery. Each failure is written to the delivery and its channel (so the API shows
 * it at once) and rethrown so BullMQ retries with backoff; the last failure marks it FAILED.
 */
@Injectable()
@HandlesJob(JobName.DeliverNotification)
export class DeliverNotificationHandler implements JobHandler<typeof JobName.DeliverNotification> {
  private readonly logger = new Logger(DeliverNotificationHandler.name);

  public constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async handle(job: Job<Payload>): Promise<{ outcome: string }> {
    const delivery = await this.prisma.notificationDelivery.findUnique({
      where: { id: job.data.deliveryId },
      include: { channel: true },
    });
    if (!delivery) return { outcome: 'delivery removed (channel deleted)' };
    if (delivery.state !== 'PENDING') return { outcome: `already ${delivery.state}` };
    const { channel } = delivery;
    const message = delivery.message as unknown as NotificationMessage;
    const attempt = delivery.attempts + 1;
    let secrets: NotificationChannelSecrets = {};
    try {
      if (!channel.enabled && !delivery.test)
        throw new NotificationSendError('the channel is disabled', { retryable: false });
      secrets = this.secrets(channel.id, channel.secretEnc);
      const timeout = this.config.notifications.sendTimeoutMs;
      let outcome: string;
      if (channel.kind === 'EMAIL') {
        outcome = await sendEmail(
          channel.settings as unknown as EmailChannelSettings,
          secrets.smtpPassword,
          renderEmail(message),
          timeout,
        );
      } else {
        const request = channelRequest(channel.kind, secrets, message, { id: delivery.id, test: delivery.test });
        outcome = await sendHttp(request, channel.kind, timeout);
      }
      const now = new Date();
      await this.prisma.$transaction([
        this.prisma.notificationDelivery.update({
          where: { id: delivery.id },
          data: { state: 'SENT', sentAt: now, attempts: attempt, lastError: null },
        }),
        this.prisma.notificationChannel.update({ where: { id: channel.id }, data: { lastSuccessAt: now } }),
      ]);
      return { outcome: maskSecrets(outcome, secretValues(secrets)) };
    } catch (error) {
      // Whatever a receiver or a library put in the message, no secret of the channel goes on.
      const text = maskSecrets(error instanceof Error ? error.message : String(error), secretValues(secrets));
      const retryable =
        error instanceof NotificationSendError ? error.retryable : !(error instanceof ChannelConfigError);
      // BullMQ stores and logs the job's failure reason: the masked text, never the original.
      const failure = new NotificationSendError(`channel "${channel.name}": ${text}`, { retryable });
      const last = !shouldRetry(failure, job.attemptsMade, job.opts.attempts);
      const now = new Date();
      await this.prisma.$transaction([
        this.prisma.notificationDelivery.update({
          where: { id: delivery.id },
          data: { attempts: attempt, lastError: text, ...(last ? { state: 'FAILED' } : {}) },
        }),
        this.prisma.notificationChannel.update({
          where: { id: channel.id },
          data: { lastFailureAt: now, lastError: text },
        }),
      ]);
      this.logger.warn(
        `notification ${delivery.id} to channel "${channel.name}" failed (attempt ${attempt}${last ? ', giving up' : ', will retry'}): ${text}`,
      );
      throw failure;
    }
  }

  private secrets(channelId: string, sealed: string | null): NotificationChannelSecrets {
    if (sealed === null) return {};
    const keys =
      this.config.oldSecretKey === undefined
        ? [this.config.secretKey]
        : [this.config.secretKey, this.config.oldSecretKey];
    try {
      return JSON.parse(openSecret(sealed, keys, notificationSecretContext(channelId))) as NotificationChannelSecrets;
    } catch (error) {
      throw new NotificationSendError('the channel secrets cannot be opened (secret key changed?)', {
        cause: error,
        retryable: false,
      });
    }
  }
}
