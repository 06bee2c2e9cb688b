import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { CommState } from '@nutfleet/db';

import { PageQueryDto } from '../../http/pagination';
import { DescriptionField } from '../common/description-field';
import { UpsLiveFieldsDto } from '../../power-monitor';

/** NUT UPS names: letters, digits and . _ - (what ups.conf section names allow in practice). */
export const UPS_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class CreateUpsDto {
  @ApiProperty({ example: 'ups1', description: 'The UPS name on its NUT server (ups.conf section)' })
  @IsString()
  @Matches(UPS_NAME_PATTERN, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  public name!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  public nutServerId!: string;

  @DescriptionField()
  public description?: string | null;
}

export class UpdateUpsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(UPS_NAME_PATTERN, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  public name?: string;

  @DescriptionField()
  public description?: string | null;
}

export class UpsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  public nutServerId?: string;

  @ApiPropertyOptional({ description: 'Substring of the UPS name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  public q?: string;
}

export class UpsDto extends UpsLiveFieldsDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ example: 'ups1@nut-paris', description: 'name@server (server = NUT server name)' })
  public address!: string;
  @ApiProperty() public nutServerId!: string;
  @ApiProperty({ nullable: true, type: String }) public description!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'OL' }) public status!: string | null;
  @ApiProperty({ enum: CommState }) public commState!: CommState;
  @ApiProperty({ nullable: true, type: String }) public commError!: string | null;
  @ApiProperty({ nullable: true, type: String }) public lastSeenAt!: string | null;
  @ApiProperty({ description: 'Hosts this UPS feeds' }) public feedCount!: number;
  @ApiProperty() public createdAt!: string;
  @ApiProperty() public updatedAt!: string;
}

export class UpsPageDto {
  @ApiProperty({ type: [UpsDto] }) public items!: UpsDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}
