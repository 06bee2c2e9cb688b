import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

import { Audit } from '../../audit/audit-context.decorator';
import { type AuditContext } from '../../audit/audit.service';
import { RequireRole } from '../../auth/require-role.decorator';
import { ApiErrorDto } from '../../http/api-error.dto';
import { uuidPipe } from '../../http/uuid.pipe';
import {
  CreateNotificationThresholdDto,
  NotificationThresholdDto,
  UpdateNotificationThresholdDto,
} from './threshold.dto';
import { NotificationThresholdService } from './threshold.service';

const uuid = uuidPipe('id');

@ApiTags('notifications')
@RequireRole('admin')
@Controller('notifications/thresholds')
export class NotificationThresholdController {
  public constructor(private readonly thresholds: NotificationThresholdService) {}

  @Get()
  @ApiOperation({ summary: 'Threshold alerts, each with the UPSes in alert now' })
  @ApiOkResponse({ type: NotificationThresholdDto, isArray: true })
  public list(): Promise<NotificationThresholdDto[]> {
    return this.thresholds.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One threshold alert' })
  @ApiOkResponse({ type: NotificationThresholdDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public get(@Param('id', uuid) id: string): Promise<NotificationThresholdDto> {
    return this.thresholds.get(id);
  }

  @Post()
  @ApiOperation({
    summary: 'Alert when a UPS load goes above, or its runtime or charge below, a value',
    description:
      'Evaluated on the readings the power monitor records, for one UPS or every UPS. The alert ' +
      '(`threshold.alert`) names the UPS and the hosts it feeds; it recovers (`threshold.recovered`) once ' +
      'the reading is back past the value by the hysteresis, so a value hovering at the threshold alerts once. ' +
      'Channels receive them through their routes.',
  })
  @ApiCreatedResponse({ type: NotificationThresholdDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto, description: 'A value out of range, or an unknown UPS' })
  public create(
    @Body() body: CreateNotificationThresholdDto,
    @Audit() audit: AuditContext,
  ): Promise<NotificationThresholdDto> {
    return this.thresholds.create(body, audit);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a threshold alert (fields sent only; the metric is fixed)' })
  @ApiOkResponse({ type: NotificationThresholdDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiUnprocessableEntityResponse({ type: ApiErrorDto })
  public update(
    @Param('id', uuid) id: string,
    @Body() body: UpdateNotificationThresholdDto,
    @Audit() audit: AuditContext,
  ): Promise<NotificationThresholdDto> {
    return this.thresholds.update(id, body, audit);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove a threshold alert (its open alerts end without a recovery message)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  public remove(@Param('id', uuid) id: string, @Audit() audit: AuditContext): Promise<void> {
    return this.thresholds.remove(id, audit);
  }
}
