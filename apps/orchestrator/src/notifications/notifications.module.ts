import { Module } from '@nestjs/common';

import { FleetReadinessScoresModule } from '../fleet-readiness/fleet-readiness-scores.module';
import { NotificationController } from './notification.controller';
import { NotificationChannelService } from './notification-channel.service';
import { NotificationDeliveryService } from './notification-delivery.service';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { NotificationEnqueuer } from './notification-enqueuer.service';
import { ThresholdAlertEvaluator } from './thresholds/threshold-alert.evaluator';
import { NotificationThresholdController } from './thresholds/threshold.controller';
import { NotificationThresholdService } from './thresholds/threshold.service';
import { UpsNotificationContext } from './ups-context';

/** Channels, routes, thresholds and deliveries API; the dispatcher that turns events into deliveries. */
@Module({
  imports: [FleetReadinessScoresModule],
  controllers: [NotificationController, NotificationThresholdController],
  providers: [
    NotificationChannelService,
    NotificationDeliveryService,
    NotificationDispatcher,
    NotificationEnqueuer,
    NotificationThresholdService,
    ThresholdAlertEvaluator,
    UpsNotificationContext,
  ],
})
export class NotificationsModule {}
