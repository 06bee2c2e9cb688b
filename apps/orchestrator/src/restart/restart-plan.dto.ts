import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { PlanTargetsDto, PlanWarningDto } from '../plans/plan.dto';

export class CreateRestartPlanDto {
  @ApiProperty({ type: PlanTargetsDto })
  @IsDefined({ message: 'targets is required (e.g. { "all": true } or { "hosts": ["esx-01"] })' })
  @IsObject()
  @ValidateNested()
  @Type(() => PlanTargetsDto)
  public targets!: PlanTargetsDto;

  @ApiProperty({
    enum: ['dry-run', 'armed'],
    description: 'dry-run checks MACs, probes SSH and reads hosts that answer, and reports; armed wakes and powers on',
  })
  @IsIn(['dry-run', 'armed'])
  public mode!: 'dry-run' | 'armed';

  @ApiPropertyOptional({
    default: false,
    description: 'Also wake hosts that were not up before the outage (not taken down by the last shutdown plan)',
  })
  @IsOptional()
  @IsBoolean()
  public includeHostsDownBeforeOutage?: boolean;

  @ApiPropertyOptional({
    minimum: 10,
    maximum: 86400,
    description: 'Magic packet → verified ESXi budget per host; default RESTART_HOST_TIMEOUT_SECONDS',
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(86400)
  public hostTimeoutSeconds?: number;

  @ApiPropertyOptional({
    description: 'The shutdown plan to follow (who was up); default the latest finished armed one',
  })
  @IsOptional()
  @IsUUID()
  public shutdownPlanId?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  public reason?: string;
}

export class RestartGateCheckDto {
  @ApiProperty({ enum: ['earlier-waves', 'power-stable', 'battery', 'nut-servers'] }) public gate!: string;
  @ApiProperty() public open!: boolean;
  @ApiProperty({ type: [String] }) public reasons!: string[];
}

export class RestartGateNowDto {
  @ApiProperty() public wave!: number;
  @ApiProperty() public open!: boolean;
  @ApiProperty({ type: [RestartGateCheckDto] }) public checks!: RestartGateCheckDto[];
  @ApiProperty({ nullable: true, type: String, description: 'When a gate closed only by time may open' })
  public recheckAt!: string | null;
}

export class RestartWaveDto {
  @ApiProperty() public wave!: number;
  @ApiProperty({ type: [String] }) public hostIds!: string[];
  @ApiProperty({ type: [String], description: 'UPSes feeding the wave: its power gates look at these' })
  public upsIds!: string[];
}

export class RestartPreviewDto {
  @ApiProperty() public hostCount!: number;
  @ApiProperty({ type: [RestartWaveDto] }) public waves!: RestartWaveDto[];
  @ApiProperty({ type: Object, isArray: true, description: 'wake, wait-ssh, verify-esxi, power-on-vms per host' })
  public steps!: unknown[];
  @ApiProperty({ type: Object, isArray: true, description: 'Hosts left out, with the reason' })
  public skipped!: unknown[];
  @ApiProperty() public hostTimeoutSeconds!: number;
  @ApiProperty({ type: Object, description: 'stableSeconds and minChargePercent (strictest policy of the hosts)' })
  public gatePolicy!: unknown;
  @ApiProperty({ type: Object, nullable: true, description: 'Measured durations of the last shutdown' })
  public lastShutdown!: unknown;
  @ApiProperty({ nullable: true, type: String }) public shutdownPlanId!: string | null;
  @ApiProperty({ type: RestartGateNowDto, nullable: true, description: 'The first wave gate, evaluated now' })
  public firstGate!: RestartGateNowDto | null;
  @ApiProperty({
    type: [PlanWarningDto],
    description: 'Waves that would be woken onto a UPS showing FSD, LB, OB, or not answering',
  })
  public warnings!: PlanWarningDto[];
}
