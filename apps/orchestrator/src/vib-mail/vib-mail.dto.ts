import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

import { VibMailMode } from '@nutfleet/db';
import { STRING_VALUE_RULES } from '@nutfleet/vib';

const MAIL_TO = STRING_VALUE_RULES.NutMailTo;
const RELAY = STRING_VALUE_RULES.NutSmtpRelay;

/**
 * What a host's own NutClient mails. The VIB sends with smtpblast: plain SMTP on port 25, no
 * authentication, no TLS, to the relay or straight to the recipient's MX; hosts that must mail on
 * their own (nutfleet itself unreachable) need that path open.
 */
export class VibMailSettingsInputDto {
  @ApiProperty({
    enum: VibMailMode,
    description:
      'OFF: no mail from the host; MAIL: one per UPS event; VERBOSE: with the full UPS status (NutClient 2.6.0+)',
  })
  @IsEnum(VibMailMode, { message: `must be one of ${Object.values(VibMailMode).join(', ')}` })
  public mode!: VibMailMode;

  @ApiPropertyOptional({
    example: 'ops@example.com',
    description: `NutMailTo, required unless OFF: ${MAIL_TO.allowed}`,
  })
  @ValidateIf((o: VibMailSettingsInputDto) => o.mode !== VibMailMode.OFF || o.mailTo !== undefined)
  @IsString({ message: 'must be a mail address (required unless mode is OFF)' })
  @MaxLength(MAIL_TO.maxLength)
  @Matches(MAIL_TO.pattern, { message: `must be ${MAIL_TO.allowed}` })
  public mailTo?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'smtp.example.com',
    description: `NutSmtpRelay (NutClient 2.6.0+): a host name or IP address (smtpblast takes no port); null or absent: straight to the recipient's MX`,
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(RELAY.maxLength)
  @Matches(RELAY.pattern, { message: `must be ${RELAY.allowed}` })
  public smtpRelay?: string | null;
}

export class VibMailSettingsDto {
  @ApiProperty({ enum: ['fleet', 'group'] }) public scope!: 'fleet' | 'group';
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) public groupId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Group name' }) public group!: string | null;
  @ApiProperty({ enum: VibMailMode }) public mode!: VibMailMode;
  @ApiProperty({ nullable: true, type: String }) public mailTo!: string | null;
  @ApiProperty({ nullable: true, type: String }) public smtpRelay!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who changed it last' }) public updatedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) public updatedAt!: string | null;
}

export class VibMailSettingsListDto {
  @ApiProperty({
    type: VibMailSettingsDto,
    description: 'The fleet default (mode OFF, updatedAt null while never set)',
  })
  public fleet!: VibMailSettingsDto;
  @ApiProperty({ type: [VibMailSettingsDto], description: 'Groups that override it, by group name' })
  public groups!: VibMailSettingsDto[];
}
