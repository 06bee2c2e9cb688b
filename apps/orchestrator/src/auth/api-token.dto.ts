import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, Matches, MinDate } from 'class-validator';

import { type Role, ROLES } from './role';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'ci-deploy', description: '1-100 letters, digits, ".", "_", "-" or ":"; unique' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, {
    message: 'must be 1-100 letters, digits, ".", "_", "-" or ":", starting with a letter or digit',
  })
  public name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` })
  public role!: Role;

  @ApiPropertyOptional({ description: 'When the token stops working (ISO 8601, in the future)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date-time' })
  @MinDate(() => new Date(), { message: 'must be in the future' })
  public expiresAt?: Date;
}

export class ApiTokenDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ enum: ROLES }) public role!: Role;
  @ApiProperty({ description: 'First characters of the token, to recognise it', example: 'nf_Ab12Cd' })
  public prefix!: string;
  @ApiProperty() public createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) public lastUsedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public revokedAt!: string | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The token itself: shown this once, store it now', example: 'nf_...' })
  public token!: string;
}
