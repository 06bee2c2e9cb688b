import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { HostTrustState } from '@nutfleet/db';
import { HOST_POWER_STATES, type HostPowerStateName } from '@nutfleet/plan';

import { HostPowerDto } from '../../host-power/host-power.dto';
import { PageQueryDto } from '../../http/pagination';
import { HostFactsDto } from './host-facts.dto';
import { IntRange } from '../common/int-field';
import { NAME_PATTERN, NAME_RULE, TAG_PATTERN, TAG_RULE } from '../common/network-rules';
import { IsHostAddress, IsIPv4Address, IsMacAddress, IsPrivateKeyText, IsSshFingerprint } from '../common/validators';

export const MAX_FEEDS = 16;

export class HostFeedInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  public upsId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 1, description: "This supply's NUT power value" })
  @IsOptional()
  @IntRange(1, 100)
  public powerValue?: number;
}

export class CreateHostDto {
  @ApiProperty({ example: 'esx-lyon-01' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public name!: string;

  @ApiProperty({ example: '10.1.0.11' })
  @IsString()
  @MaxLength(253)
  @IsHostAddress()
  public address!: string;

  @ApiPropertyOptional({ default: 22 })
  @IsOptional()
  @IntRange(1, 65535)
  public sshPort?: number;

  @ApiPropertyOptional({ default: 'root' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  public username?: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    writeOnly: true,
    description:
      'Write-only, admin only; null clears it. Bound to address, sshPort and hostKeyFingerprint: changing one of them clears it unless it is sent again.',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  public password?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    writeOnly: true,
    description: 'PEM/OpenSSH private key; write-only, admin only, bound to the target like password',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(16_384)
  @IsPrivateKeyText()
  public privateKey?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    description:
      'Pinned host-key fingerprint: given here, the host is trusted at once (admin only; operators use POST /hosts/{id}/trust and /trust/accept). null untrusts the host.',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @IsSshFingerprint()
  public hostKeyFingerprint?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['00:50:56:aa:bb:01'] })
  @IsOptional()
  @IsArray({ message: 'must be an array of MAC addresses' })
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @IsMacAddress()
  public macAddresses?: string[];

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '10.1.0.255',
    description: 'Wake-on-LAN broadcast address',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @IsIPv4Address()
  public wolBroadcast?: string | null;

  @ApiPropertyOptional({ default: 9 })
  @IsOptional()
  @IntRange(1, 65535)
  public wolPort?: number;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'must be a UUID' })
  public groupId?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'must be a UUID' })
  public policyId?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['lab', 'rack:3'] })
  @IsOptional()
  @IsArray({ message: 'must be an array of tags' })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Matches(TAG_PATTERN, { each: true, message: `each ${TAG_RULE}` })
  public tags?: string[];

  @ApiPropertyOptional({ minimum: 0, maximum: 1000, default: 0, description: 'Lower stages shut down first' })
  @IsOptional()
  @IntRange(0, 1000)
  public shutdownStage?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1000, default: 0, description: 'Lower waves restart first' })
  @IsOptional()
  @IntRange(0, 1000)
  public restartWave?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 1, description: "NUT's MINSUPPLIES for this host" })
  @IsOptional()
  @IntRange(0, 100)
  public minSupplies?: number;

  @ApiPropertyOptional({ type: [HostFeedInputDto], description: 'Replaces all of the host power feeds' })
  @IsOptional()
  @IsArray({ message: 'must be an array of {upsId, powerValue}' })
  @ArrayMaxSize(MAX_FEEDS)
  @ValidateNested({ each: true })
  @Type(() => HostFeedInputDto)
  public feeds?: HostFeedInputDto[];
}

export class UpdateHostDto extends PartialType(CreateHostDto) {}

const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class HostQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Group name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  public group?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  public groupId?: string;

  @ApiPropertyOptional({ description: 'Hosts carrying this tag' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  public tag?: string;

  @ApiPropertyOptional({ description: 'Shutdown stage' })
  @IsOptional()
  @Type(() => Number)
  @IntRange(0, 1000)
  public stage?: number;

  @ApiPropertyOptional({ description: 'Restart wave' })
  @IsOptional()
  @Type(() => Number)
  @IntRange(0, 1000)
  public wave?: number;

  @ApiPropertyOptional({ description: 'Hosts fed by this UPS, as name@server' })
  @IsOptional()
  @IsString()
  @Matches(/^[^@\s]{1,64}@[^@\s]{1,253}$/, { message: 'must be name@server' })
  public ups?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Hosts fed by this UPS' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  public upsId?: string;

  @ApiPropertyOptional({ enum: HostTrustState })
  @IsOptional()
  @IsEnum(HostTrustState, { message: `must be one of ${Object.values(HostTrustState).join(', ')}` })
  public trustState?: HostTrustState;

  @ApiPropertyOptional({ enum: HOST_POWER_STATES, description: 'Hosts in this power state' })
  @IsOptional()
  @IsIn(HOST_POWER_STATES, { message: `must be one of ${HOST_POWER_STATES.join(', ')}` })
  public power?: HostPowerStateName;

  @ApiPropertyOptional({ description: 'Only hosts whose last action or discovery failed (true) or did not (false)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  public hasError?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of name or address' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  public q?: string;
}

export class HostFeedDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public upsId!: string;
  @ApiProperty({ example: 'ups1@nut-paris' }) public ups!: string;
  @ApiProperty() public powerValue!: number;
}

export class HostDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty() public address!: string;
  @ApiProperty() public sshPort!: number;
  @ApiProperty() public username!: string;
  @ApiProperty({ description: 'A password is stored (never returned)' }) public hasPassword!: boolean;
  @ApiProperty({ description: 'A private key is stored (never returned)' }) public hasPrivateKey!: boolean;
  @ApiProperty({ nullable: true, type: String }) public hostKeyFingerprint!: string | null;
  @ApiProperty({ enum: HostTrustState }) public trustState!: HostTrustState;
  @ApiProperty({ type: [String] }) public macAddresses!: string[];
  @ApiProperty({ nullable: true, type: String }) public wolBroadcast!: string | null;
  @ApiProperty() public wolPort!: number;
  @ApiProperty({ nullable: true, type: String }) public groupId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Group name' }) public group!: string | null;
  @ApiProperty({ nullable: true, type: String }) public policyId!: string | null;
  @ApiProperty({ type: [String] }) public tags!: string[];
  @ApiProperty() public shutdownStage!: number;
  @ApiProperty() public restartWave!: number;
  @ApiProperty() public minSupplies!: number;
  @ApiProperty({ type: [HostFeedDto] }) public feeds!: HostFeedDto[];
  @ApiProperty({ nullable: true, type: String }) public esxiVersion!: string | null;
  @ApiProperty({ nullable: true, type: String }) public esxiBuild!: string | null;
  @ApiProperty({ nullable: true, type: String }) public vibVersion!: string | null;
  @ApiProperty({ nullable: true, type: String }) public lastSeenAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public lastError!: string | null;
  @ApiProperty({ type: HostPowerDto }) public power!: HostPowerDto;
  @ApiProperty() public createdAt!: string;
  @ApiProperty() public updatedAt!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: HostFactsDto,
    description: 'What nutfleet read from the host, fact by fact (single-host reads only); null before any discovery',
  })
  public facts?: unknown;
}

export class HostPageDto {
  @ApiProperty({ type: [HostDto] }) public items!: HostDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}
