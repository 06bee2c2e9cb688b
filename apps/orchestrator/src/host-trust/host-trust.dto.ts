import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class HostKeyFetchedDto {
  @ApiProperty({ format: 'uuid' })
  public hostId!: string;

  @ApiProperty({
    example: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    description: 'Key the host presents now; NOT trusted by this call',
  })
  public presentedFingerprint!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  public fetchedAt!: string;

  @ApiProperty({ nullable: true, type: String, description: 'The fingerprint pinned today, if any' })
  public pinnedFingerprint!: string | null;

  @ApiProperty({ enum: ['UNTRUSTED', 'TRUSTED', 'MISMATCH'] })
  public trustState!: string;

  @ApiProperty({ description: 'True when the presented key is the pinned one' })
  public matchesPinned!: boolean;
}

export class AcceptHostKeyDto {
  @ApiProperty({
    example: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    description: 'The fingerprint to pin, as checked on the host console (`SHA256:` prefix optional)',
  })
  @IsString()
  @MaxLength(200)
  public fingerprint!: string;
}

export class HostTrustDto {
  @ApiProperty({ format: 'uuid' })
  public hostId!: string;

  @ApiProperty({ enum: ['TRUSTED'] })
  public trustState!: string;

  @ApiProperty()
  public fingerprint!: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'The fingerprint pinned before, if it changed' })
  public previousFingerprint!: string | null;
}

export class HostEventDto {
  @ApiProperty({ description: 'Sequence number (string: 64-bit)' })
  public id!: string;

  @ApiProperty({ enum: ['HOST_KEY_MISMATCH', 'HOST_KEY_TRUSTED'] })
  public type!: string;

  @ApiProperty()
  public message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  public data!: unknown;

  @ApiProperty({ type: String, format: 'date-time' })
  public at!: string;
}
