import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

import { PageQueryDto } from '../../http/pagination';
import { IntRange } from '../common/int-field';

export class CreatePowerFeedDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  public hostId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  public upsId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 1 })
  @IsOptional()
  @IntRange(1, 100)
  public powerValue?: number;
}

export class UpdatePowerFeedDto {
  @ApiProperty({ minimum: 1, maximum: 100 })
  @IntRange(1, 100)
  public powerValue!: number;
}

export class PowerFeedQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  public hostId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  public upsId?: string;
}

export class PowerFeedDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public hostId!: string;
  @ApiProperty() public host!: string;
  @ApiProperty() public upsId!: string;
  @ApiProperty({ example: 'ups1@nut-paris' }) public ups!: string;
  @ApiProperty() public powerValue!: number;
  @ApiProperty() public createdAt!: string;
}

export class PowerFeedPageDto {
  @ApiProperty({ type: [PowerFeedDto] }) public items!: PowerFeedDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}
