import { Module } from '@nestjs/common';

import { NotificationController } from './notification.controller';
import { NotificationChannelService } from './notification-channel.service';
import { NotificationDeliveryService } from './notification-delivery.service';
import { NotificationDispatcher } from './notification-dispatcher.service';
import { NotificationEnqueuer } from './notification-enqueuer.service';

/** Channels, routes and deliveries API; the dispatcher that turns events into deliveries. */
@Module({
  controllers: [NotificationController],
  providers: [NotificationChannelService, NotificationDeliveryService, NotificationDispatcher, NotificationEnqueuer],
})
export class NotificationsModule {}
