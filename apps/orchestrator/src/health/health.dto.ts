import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  public status!: 'ok';

  @ApiProperty({ example: 42 })
  public uptimeSeconds!: number;
}

export class DependencyCheckDto {
  @ApiProperty({ enum: ['up', 'down'] })
  public status!: 'up' | 'down';

  @ApiProperty({ example: 3 })
  public latencyMs!: number;

  @ApiPropertyOptional({ example: 'connect ECONNREFUSED 127.0.0.1:6379' })
  public error?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: DependencyCheckDto })
  public database!: DependencyCheckDto;

  @ApiProperty({ type: DependencyCheckDto })
  public redis!: DependencyCheckDto;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ready', 'unavailable'] })
  public status!: 'ready' | 'unavailable';

  @ApiPropertyOptional({ example: 'not ready: redis unreachable' })
  public message?: string;

  @ApiProperty({ type: [String], enum: ['database', 'redis'], example: [] })
  public down!: ('database' | 'redis')[];

  @ApiProperty({ type: ReadinessChecksDto })
  public checks!: ReadinessChecksDto;
}
