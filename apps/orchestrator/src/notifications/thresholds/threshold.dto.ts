import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsOptional, Matches, ValidateIf } from 'class-validator';

import {
  NOTIFICATION_SEVERITIES,
  type NotificationSeverityName,
  THRESHOLD_METRICS,
  type ThresholdMetric,
} from '@nutfleet/notify';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class UpdateNotificationThresholdDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The UPS watched; null: every UPS (each alerts on its own)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(UUID, { message: 'must be a UUID' })
  public upsId?: string | null;

  @ApiPropertyOptional({
    description: 'LOAD: % (alert above); RUNTIME: minutes (alert below); CHARGE: % (alert below)',
    example: 80,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  public value?: number;

  @ApiPropertyOptional({
    description:
      'How far back past the threshold the reading must come before the alert recovers (same unit); ' +
      'default 5 % for LOAD and CHARGE, 2 min for RUNTIME',
    example: 5,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  public hysteresis?: number;

  @ApiPropertyOptional({
    enum: NOTIFICATION_SEVERITIES,
    default: 'WARNING',
    description: 'Of the alert and its recovery',
  })
  @IsOptional()
  @IsIn(NOTIFICATION_SEVERITIES, { message: `must be one of ${NOTIFICATION_SEVERITIES.join(', ')}` })
  public severity?: NotificationSeverityName;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  public enabled?: boolean;
}

export class CreateNotificationThresholdDto extends UpdateNotificationThresholdDto {
  @ApiProperty({ enum: THRESHOLD_METRICS, description: 'LOAD above, RUNTIME below, CHARGE below' })
  @IsIn(THRESHOLD_METRICS, { message: `must be one of ${THRESHOLD_METRICS.join(', ')}` })
  public metric!: ThresholdMetric;

  @ApiProperty({ example: 80 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  declare public value: number;
}

export class ThresholdAlertStateDto {
  @ApiProperty({ format: 'uuid' }) public upsId!: string;
  @ApiProperty({ description: 'name@host:port' }) public ups!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The reading that raised it' }) public value!:
    number | null;
  @ApiProperty({ format: 'date-time' }) public since!: string;
}

export class NotificationThresholdDto {
  @ApiProperty({ format: 'uuid' }) public id!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) public upsId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'name@host:port; null: every UPS' }) public ups!:
    string | null;
  @ApiProperty({ enum: THRESHOLD_METRICS }) public metric!: string;
  @ApiProperty() public value!: number;
  @ApiProperty() public hysteresis!: number;
  @ApiProperty({ description: 'Where an alert recovers: value − hysteresis for LOAD, value + hysteresis otherwise' })
  public recoversAt!: number;
  @ApiProperty({ enum: ['%', 'min'] }) public unit!: string;
  @ApiProperty({ example: 'load above 80 %' }) public description!: string;
  @ApiProperty({ enum: NOTIFICATION_SEVERITIES }) public severity!: string;
  @ApiProperty() public enabled!: boolean;
  @ApiProperty({ type: [ThresholdAlertStateDto], description: 'UPSes in alert now' })
  public alerts!: ThresholdAlertStateDto[];
  @ApiProperty({ format: 'date-time' }) public createdAt!: string;
  @ApiProperty({ format: 'date-time' }) public updatedAt!: string;
}
