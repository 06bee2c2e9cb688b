import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { PageQueryDto } from '../http/pagination';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Only entries at or after this time (ISO 8601)',
    example: '2026-01-01T00:00:00Z',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date-time' })
  public since?: Date;

  @ApiPropertyOptional({ example: 'host' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, { message: 'must be a resource type such as host or apiToken' })
  public resourceType?: string;

  @ApiPropertyOptional({ description: 'Token name that made the change', example: 'admin' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  public actor?: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '42' })
  public id!: string;

  @ApiProperty()
  public at!: string;

  @ApiProperty({ description: 'Name of the API token (or cli:<user>) that made the change' })
  public actor!: string;

  @ApiProperty({ example: 'host.update' })
  public action!: string;

  @ApiProperty({ example: 'host' })
  public resourceType!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  public resourceId!: string | null;

  @ApiPropertyOptional({ nullable: true, type: Object, description: 'State before the change, without secrets' })
  public before!: unknown;

  @ApiPropertyOptional({ nullable: true, type: Object, description: 'State after the change, without secrets' })
  public after!: unknown;

  @ApiPropertyOptional({ nullable: true, type: String })
  public requestId!: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  public items!: AuditEntryDto[];

  @ApiProperty({ nullable: true, type: String })
  public nextCursor!: string | null;
}
