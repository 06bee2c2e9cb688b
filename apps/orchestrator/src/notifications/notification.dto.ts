import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  isEmail,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

import {
  CHANNEL_KINDS,
  type ChannelKind,
  NOTIFICATION_EVENT_TYPES,
  NOTIFICATION_SEVERITIES,
  type NotificationSeverityName,
  SMTP_SECURITY,
  type SmtpSecurity,
} from '@nutfleet/notify';

/**
 * class-validator's IsEmail, except that a string the validator cannot even URI-encode (a lone
 * surrogate) is refused like any other non-address instead of throwing (which answered 500).
 */
function IsEmailAddress(message: string, options?: ValidationOptions): PropertyDecorator {
  const safe = (value: unknown): boolean => {
    try {
      return isEmail(value);
    } catch {
      return false;
    }
  };
  return ValidateBy({ name: 'isEmail', validator: { validate: safe, defaultMessage: () => message } }, options);
}

import { PageQueryDto } from '../http/pagination';
import { IntRange } from '../inventory/common/int-field';
import { NAME_PATTERN, NAME_RULE } from '../inventory/common/network-rules';
import { IsHostAddress, IsPemCertificate } from '../inventory/common/validators';

export class NotificationRouteDto {
  @ApiPropertyOptional({
    type: [String],
    enum: NOTIFICATION_EVENT_TYPES,
    description: 'Empty or absent: every event type',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NOTIFICATION_EVENT_TYPES.length)
  @IsIn(NOTIFICATION_EVENT_TYPES, { each: true, message: `each must be one of ${NOTIFICATION_EVENT_TYPES.join(', ')}` })
  public eventTypes?: string[];

  @ApiPropertyOptional({ enum: NOTIFICATION_SEVERITIES, default: 'INFO' })
  @IsOptional()
  @IsIn(NOTIFICATION_SEVERITIES, { message: `must be one of ${NOTIFICATION_SEVERITIES.join(', ')}` })
  public minSeverity?: NotificationSeverityName;
}

/** Fields of every kind side by side; the service checks that the kind's required ones are there. */
export class UpdateNotificationChannelDto {
  @ApiPropertyOptional({ example: 'ops-mail' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public name?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  public enabled?: boolean;

  @ApiPropertyOptional({ description: 'EMAIL: SMTP server', example: 'smtp.example.com' })
  @IsOptional()
  @IsString()
  @IsHostAddress()
  public smtpHost?: string;

  @ApiPropertyOptional({ description: 'EMAIL: default 587 (starttls), 465 (tls), 25 (none)' })
  @IsOptional()
  @IntRange(1, 65535)
  public smtpPort?: number;

  @ApiPropertyOptional({
    enum: SMTP_SECURITY,
    default: 'starttls',
    description: 'starttls: STARTTLS required; tls: implicit TLS; none: plain (loopback relays only)',
  })
  @IsOptional()
  @IsIn(SMTP_SECURITY, { message: `must be one of ${SMTP_SECURITY.join(', ')}` })
  public smtpSecurity?: SmtpSecurity;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'EMAIL: SMTP AUTH user (null: no authentication)' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  public smtpUsername?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    writeOnly: true,
    description: 'EMAIL: SMTP AUTH password, sealed at rest, never returned',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(1024)
  public smtpPassword?: string | null;

  @ApiPropertyOptional({ description: 'EMAIL: sender address', example: 'nutfleet@example.com' })
  @IsOptional()
  @IsEmailAddress('must be an e-mail address')
  public smtpFrom?: string;

  @ApiPropertyOptional({ type: [String], description: 'EMAIL: recipients' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsEmailAddress('each must be an e-mail address', { each: true })
  public smtpTo?: string[];

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'EMAIL: PEM of the CA that signs the SMTP server certificate (else the system CAs)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(20_000)
  @IsPemCertificate()
  public smtpCaPem?: string | null;

  @ApiPropertyOptional({
    writeOnly: true,
    description:
      'Every kind but EMAIL: where to POST (sealed at rest: such URLs embed a token; only its host is returned). ' +
      'WEBHOOK, SLACK, TEAMS (workflow or incoming-webhook URL), DISCORD: the webhook URL; ' +
      'NTFY: the topic URL (https://ntfy.sh/<topic>); GOTIFY: the server URL',
  })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL' },
  )
  @MaxLength(2048)
  public webhookUrl?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    writeOnly: true,
    description: 'WEBHOOK: key of the X-Nutfleet-Signature HMAC-SHA256 of the body (sealed)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  public webhookSigningSecret?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    writeOnly: true,
    description: 'NTFY: access token, sent as a bearer (optional); GOTIFY: application token (required). Sealed',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  public webhookToken?: string | null;

  @ApiPropertyOptional({ type: [NotificationRouteDto], description: 'Replaces every route of the channel' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NotificationRouteDto)
  public routes?: NotificationRouteDto[];
}

export class CreateNotificationChannelDto extends UpdateNotificationChannelDto {
  @ApiProperty({ example: 'ops-mail' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  declare public name: string;

  @ApiProperty({ enum: CHANNEL_KINDS })
  @IsIn(CHANNEL_KINDS, { message: `must be one of ${CHANNEL_KINDS.join(', ')}` })
  public kind!: ChannelKind;
}

export class NotificationRouteViewDto {
  @ApiProperty({ type: [String] }) public eventTypes!: string[];
  @ApiProperty({ enum: NOTIFICATION_SEVERITIES }) public minSeverity!: string;
}

export class EmailSettingsViewDto {
  @ApiProperty() public host!: string;
  @ApiProperty() public port!: number;
  @ApiProperty({ enum: SMTP_SECURITY }) public security!: string;
  @ApiProperty({ nullable: true, type: String }) public username!: string | null;
  @ApiProperty() public hasPassword!: boolean;
  @ApiProperty() public from!: string;
  @ApiProperty({ type: [String] }) public to!: string[];
  @ApiProperty() public hasCaPem!: boolean;
}

export class WebhookSettingsViewDto {
  @ApiProperty({ description: 'Host of the URL (the URL itself is secret)' }) public urlHost!: string;
  @ApiProperty() public hasSigningSecret!: boolean;
  @ApiProperty({ description: 'NTFY / GOTIFY: whether a token is set' }) public hasToken!: boolean;
}

export class NotificationChannelDto {
  @ApiProperty({ format: 'uuid' }) public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ enum: CHANNEL_KINDS }) public kind!: string;
  @ApiProperty() public enabled!: boolean;
  @ApiProperty({ type: EmailSettingsViewDto, nullable: true }) public email!: EmailSettingsViewDto | null;
  @ApiProperty({ type: WebhookSettingsViewDto, nullable: true }) public webhook!: WebhookSettingsViewDto | null;
  @ApiProperty({ type: [NotificationRouteViewDto] }) public routes!: NotificationRouteViewDto[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public lastSuccessAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public lastFailureAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) public createdAt!: string;
  @ApiProperty({ format: 'date-time' }) public updatedAt!: string;
}

export class NotificationDeliveryDto {
  @ApiProperty({ format: 'uuid' }) public id!: string;
  @ApiProperty({ format: 'uuid' }) public channelId!: string;
  @ApiProperty() public channelName!: string;
  @ApiProperty({ enum: NOTIFICATION_EVENT_TYPES }) public eventType!: string;
  @ApiProperty({ enum: NOTIFICATION_SEVERITIES }) public severity!: string;
  @ApiProperty() public title!: string;
  @ApiProperty() public test!: boolean;
  @ApiProperty({
    enum: ['PENDING', 'SENT', 'FAILED'],
    description: 'PENDING: queued or being retried; FAILED: every attempt failed',
  })
  public state!: string;
  @ApiProperty() public attempts!: number;
  @ApiProperty({ nullable: true, type: String }) public lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) public createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public sentAt!: string | null;
}

export class NotificationDeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'must be a UUID' })
  public channelId?: string;

  @ApiPropertyOptional({ enum: ['PENDING', 'SENT', 'FAILED'] })
  @IsOptional()
  @IsIn(['PENDING', 'SENT', 'FAILED'], { message: 'must be one of PENDING, SENT, FAILED' })
  public state?: 'PENDING' | 'SENT' | 'FAILED';
}

export class NotificationDeliveryPageDto {
  @ApiProperty({ type: [NotificationDeliveryDto] }) public items!: NotificationDeliveryDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}

export class NotificationEventInfoDto {
  @ApiProperty({ enum: NOTIFICATION_EVENT_TYPES }) public type!: string;
  @ApiProperty({ description: 'What the event is, in a few words' }) public label!: string;
  @ApiProperty({ example: 'UPS' }) public group!: string;
}

export class NotificationCatalogDto {
  @ApiProperty({ type: [String] }) public eventTypes!: string[];
  @ApiProperty({ type: [NotificationEventInfoDto] }) public events!: NotificationEventInfoDto[];
  @ApiProperty({ type: [String] }) public severities!: string[];
  @ApiProperty({ type: [String], enum: CHANNEL_KINDS }) public channelKinds!: string[];
}
