import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import {
  CHANNEL_KINDS,
  NOTIFICATION_EVENTS,
  NOTIFICATION_EVENT_TYPES,
  NOTIFICATION_SEVERITIES,
} from '@nutfleet/notify';

import { Audit } from '../audit/audit-context.decorator';
import { type AuditContext } from '../audit/audit.service';
import { RequireRole } from '../auth/require-role.decorator';
import { ApiErrorDto } from '../http/api-error.dto';
import { uuidPipe } from '../http/uuid.pipe';
import {
  CreateNotificationChannelDto,
  NotificationCatalogDto,
  NotificationChannelDto,
  NotificationDeliveryDto,
  NotificationDeliveryPageDto,
  NotificationDeliveryQueryDto,
  UpdateNotificationChannelDto,
} from './notification.dto';
import { NotificationChannelService } from './notification-channel.service';
import { NotificationDeliveryService } from './notification-delivery.service';

const uuid = uuidPipe('id');

@ApiTags('notifications')
@RequireRole('admin')
@Controller('notifications')
export class NotificationController {
  public constructor(
    private readonly channels: NotificationChannelService,
    private readonly deliveries: NotificationDeliveryService,
  ) {}

  @Get('catalog')
  @RequireRole('viewer')
  @ApiOperation({ summary: 'Event types (with labels) and severities a route can select; channel kinds' })
  @ApiOkResponse({ type: NotificationCatalogDto })
  public catalog(): NotificationCatalogDto {
    return {
      eventTypes: [...NOTIFICATION_EVENT_TYPES],
      events: NOTIFICATION_EVENTS.map((e) => ({ ...e })),
      severities: [...NOTIFICATION_SEVERITIES],
      channelKinds: [...CHANNEL_KINDS],
    };
  }

  @Get('channels')
  @ApiOperation({
    summary: 'Notification channels with their routes and last delivery outcome (secrets never returned)',
  })
  @ApiOkResponse({ type: NotificationChannelDto, isArray: true })
  public list(): Promise<NotificationChannelDto[]> {
    return this.channels.list();
  }

  @Get('channels/:id')
  @ApiOperation({ summary: 'One notification channel' })
  @ApiOkResponse({ type: NotificationChannelDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuid) id: string): Promise<NotificationChannelDto> {
    return this.channels.get(id);
  }

  @Post('channels')
  @ApiOperation({
    summary:
      'Add a channel: EMAIL (SMTP: port, STARTTLS / implicit TLS / none, optional AUTH), WEBHOOK (generic JSON, optional HMAC), ' +
      'SLACK, NTFY, GOTIFY, TEAMS (Adaptive Card) or DISCORD',
    description:
      'Routes select event types (none: all) at or above a severity; a channel without routes receives only tests. ' +
      'Secrets (SMTP password, URL, token, signing key) are sealed at rest and never returned.',
  })
  @ApiCreatedResponse({ type: NotificationChannelDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'A field the kind requires is missing' })
  public create(
    @Body() body: CreateNotificationChannelDto,
    @Audit() audit: AuditContext,
  ): Promise<NotificationChannelDto> {
    return this.channels.create(body, audit);
  }

  @Patch('channels/:id')
  @ApiOperation({
    summary: 'Change a channel (fields sent only; routes, when sent, replace all routes; null clears a secret)',
  })
  @ApiOkResponse({ type: NotificationChannelDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuid) id: string,
    @Body() body: UpdateNotificationChannelDto,
    @Audit() audit: AuditContext,
  ): Promise<NotificationChannelDto> {
    return this.channels.update(id, body, audit);
  }

  @Delete('channels/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a channel, its routes and its delivery history' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuid) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.channels.remove(id, audit);
  }

  @Post('channels/:id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a test message through this channel (queued, retried like any delivery); poll the returned delivery',
  })
  @ApiAcceptedResponse({ type: NotificationDeliveryDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public async test(@Param('id', uuid) id: string, @Audit() audit: AuditContext): Promise<NotificationDeliveryDto> {
    return this.deliveries.get(await this.channels.sendTest(id, audit));
  }

  @Get('deliveries')
  @ApiOperation({
    summary: 'Deliveries, newest first: state (PENDING while queued or retrying, SENT, FAILED), attempts, last error',
  })
  @ApiOkResponse({ type: NotificationDeliveryPageDto })
  public deliveriesList(@Query() query: NotificationDeliveryQueryDto): Promise<NotificationDeliveryPageDto> {
    return this.deliveries.list(query);
  }

  @Get('deliveries/:id')
  @ApiOperation({ summary: 'One delivery' })
  @ApiOkResponse({ type: NotificationDeliveryDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public delivery(@Param('id', uuid) id: string): Promise<NotificationDeliveryDto> {
    return this.deliveries.get(id);
  }
}
