import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/** Which hosts a fleet discovery covers; all given criteria must hold; none = every host. */
export class DiscoverFleetDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Only these hosts' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  public hostIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only hosts of this group' })
  @IsOptional()
  @IsUUID('all')
  public groupId?: string;

  @ApiPropertyOptional({ type: [String], description: 'Only hosts carrying every one of these tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Matches(/\S/, { each: true, message: 'each value in tags must not be blank' })
  public tags?: string[];
}

export class DiscoveryQueuedDto {
  @ApiProperty({ format: 'uuid' })
  public runId!: string;

  @ApiProperty({ description: 'Number of hosts queued' })
  public total!: number;

  @ApiProperty({ example: '/discovery-runs/6f1c...', description: 'Where to follow progress' })
  public statusUrl!: string;

  @ApiProperty({ description: 'True when a discovery of this host was already pending and is returned instead' })
  public alreadyPending!: boolean;
}

export class DiscoveryHostErrorDto {
  @ApiProperty({ format: 'uuid' })
  public hostId!: string;

  @ApiProperty()
  public hostName!: string;

  @ApiProperty({ description: 'What failed and what to do' })
  public error!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  public at!: string | null;
}

export class DiscoveryRunDto {
  @ApiProperty({ format: 'uuid' })
  public id!: string;

  @ApiProperty({ enum: ['running', 'finished'] })
  public state!: 'running' | 'finished';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The filter it was created with',
  })
  public filter!: unknown;

  @ApiProperty()
  public total!: number;

  @ApiProperty({ description: 'Hosts finished, either way (succeeded + failed)' })
  public done!: number;

  @ApiProperty()
  public succeeded!: number;

  @ApiProperty()
  public failed!: number;

  @ApiProperty()
  public pending!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  public createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  public finishedAt!: string | null;

  @ApiProperty({ type: [DiscoveryHostErrorDto], description: 'Failed hosts (up to 1,000), with their error' })
  public errors!: DiscoveryHostErrorDto[];

  @ApiProperty({
    description:
      'Succeeded hosts where some reads failed (counted in `succeeded`): their other facts were recorded; ' +
      "GET /hosts/:id shows each fact's read in facts.reads",
  })
  public incomplete!: number;

  @ApiProperty({
    type: [DiscoveryHostErrorDto],
    description: 'Succeeded hosts where some reads failed (up to 1,000), with the failed reads',
  })
  public incompleteHosts!: DiscoveryHostErrorDto[];
}
