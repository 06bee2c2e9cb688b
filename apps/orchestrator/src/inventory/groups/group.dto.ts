import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';

import { PageQueryDto } from '../../http/pagination';
import { DescriptionField } from '../common/description-field';
import { NAME_PATTERN, NAME_RULE } from '../common/network-rules';

export class CreateGroupDto {
  @ApiProperty({ example: 'branch-lyon' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public name!: string;

  @DescriptionField()
  public description?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Policy of hosts without one of their own',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'must be a UUID' })
  public policyId?: string | null;
}

export class UpdateGroupDto extends PartialType(CreateGroupDto) {}

export class GroupQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Substring of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  public q?: string;
}

export class GroupDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ nullable: true, type: String }) public description!: string | null;
  @ApiProperty({ nullable: true, type: String }) public policyId!: string | null;
  @ApiProperty() public hostCount!: number;
  @ApiProperty() public createdAt!: string;
  @ApiProperty() public updatedAt!: string;
}

export class GroupPageDto {
  @ApiProperty({ type: [GroupDto] }) public items!: GroupDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}
