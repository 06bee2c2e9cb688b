import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsObject, IsOptional } from 'class-validator';

export class ReplayRequestDto {
  @ApiPropertyOptional({
    type: Object,
    description:
      'A replay input: { upses: [{ id, name? }], hosts: [{ id, name?, feeds: [{ upsId, powerValue }], minSupplies, policy?, stage?, vms? }], timeline: [{ t, ups, status?, comm?, charge?, runtime?, inputVoltage?, stale? }], pollIntervalMs?, commLossReportSeconds?, endAt? } (see the README). Give it, or from/to.',
  })
  @IsOptional()
  @IsObject()
  public input?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Start of a recorded range (ISO time): replay what the monitor recorded' })
  @IsOptional()
  @IsISO8601()
  public from?: string;

  @ApiPropertyOptional({ description: 'End of the recorded range (ISO time), at most 24 h after from' })
  @IsOptional()
  @IsISO8601()
  public to?: string;

  @ApiPropertyOptional({
    type: Object,
    description:
      'With from/to: settings merged over every host\'s policy (same shape as libs/power policies, e.g. { "triggers": { "onBatterySeconds": 120 } })',
  })
  @IsOptional()
  @IsObject()
  public policyOverrides?: Record<string, unknown>;
}

export class ReplayReasonDto {
  @ApiProperty() public code!: string;
  @ApiProperty() public message!: string;
}

export class ReplayStepDto {
  @ApiProperty() public key!: string;
  @ApiProperty({ enum: ['vm-stop', 'host-power-off'] }) public kind!: string;
  @ApiProperty() public stage!: number;
  @ApiPropertyOptional() public vmId?: string;
  @ApiPropertyOptional() public vmName?: string;
  @ApiProperty({ description: 'Seconds from the start' }) public predictedStartAt!: number;
  @ApiProperty() public predictedEndAt!: number;
  @ApiProperty() public deadlineAt!: number;
  @ApiProperty() public why!: string;
}

export class ReplayHostResultDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'First instant critical, seconds; null: never' })
  public criticalAt!: number | null;
  @ApiProperty({ type: [ReplayReasonDto] }) public reasons!: ReplayReasonDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'When its poweroff is predicted to go out' })
  public powerOffAt!: number | null;
  @ApiProperty({ type: [ReplayStepDto] }) public steps!: ReplayStepDto[];
}

export class ReplayOutageEventDto {
  @ApiProperty() public at!: number;
  @ApiProperty() public event!: string;
  @ApiPropertyOptional() public message?: string;
}

export class ReplayOutageDto {
  @ApiProperty() public openedAt!: number;
  @ApiProperty({ nullable: true, type: Number }) public closedAt!: number | null;
  @ApiProperty({ nullable: true, type: String }) public closeReason!: string | null;
  @ApiProperty({ type: [String] }) public upsIds!: string[];
  @ApiProperty({ type: [ReplayOutageEventDto] }) public events!: ReplayOutageEventDto[];
}

export class ReplayResultDto {
  @ApiProperty({ type: [ReplayHostResultDto] }) public hosts!: ReplayHostResultDto[];
  @ApiProperty({ type: [ReplayOutageDto] }) public outages!: ReplayOutageDto[];
}
