import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { type HostProtectionWarningCode, type PlanWarningCode, PREVIEW_WARNING_CODES } from '@nutfleet/power';

export class PlanTargetsDto {
  @ApiPropertyOptional({ description: 'Every host of the inventory' })
  @IsOptional()
  @IsBoolean()
  public all?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Host ids or names' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  public hosts?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Host group ids or names' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  public groups?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Hosts carrying any of these tags' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  public tags?: string[];
}

export class CreateShutdownPlanDto {
  @ApiProperty({ type: PlanTargetsDto })
  @IsDefined({ message: 'targets is required (e.g. { "all": true } or { "hosts": ["esx-01"] })' })
  @IsObject()
  @ValidateNested()
  @Type(() => PlanTargetsDto)
  public targets!: PlanTargetsDto;

  @ApiProperty({ enum: ['dry-run', 'armed'], description: 'dry-run reads every host and reports; armed shuts down' })
  @IsIn(['dry-run', 'armed'])
  public mode!: 'dry-run' | 'armed';

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  public reason?: string;
}

export class CancelPlanDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  public reason?: string;
}

export class PlanStepDto {
  @ApiProperty() public id!: string;
  @ApiProperty({ example: 'host:<hostId>:vm:<vmId>:stop' }) public key!: string;
  @ApiProperty({ nullable: true, type: String }) public hostId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The host's name (now, or as recorded when the plan was made if the host is gone)",
  })
  public hostName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'VM steps: the VM (its name, else its vmid)' })
  public vmName!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Restart steps: the wave' })
  public wave!: number | null;
  @ApiProperty({
    enum: [
      'vm-stop',
      'host-power-off',
      'wake',
      'wait-ssh',
      'verify-esxi',
      'power-on-vms',
      'restart-gate',
      'ups-power-cycle',
    ],
  })
  public action!: string;
  @ApiProperty() public stage!: number;
  @ApiProperty() public sequence!: number;
  @ApiProperty({ enum: ['PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'] })
  public state!: string;
  @ApiProperty() public attempts!: number;
  @ApiProperty({ type: [String] }) public dependsOn!: string[];
  @ApiProperty({ nullable: true, type: String }) public deadlineAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Host power-off: when poweroff was sent (once)' })
  public commandSentAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public output!: string | null;
  @ApiProperty({ nullable: true, type: String }) public error!: string | null;
  @ApiProperty({ type: Object, nullable: true, description: 'VM, ladder, predicted timings' }) public detail!: unknown;
}

export class PlanEventDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public type!: string;
  @ApiProperty({ nullable: true, type: String }) public upsId!: string | null;
  @ApiProperty({ nullable: true, type: String }) public status!: string | null;
  @ApiProperty({ type: Object, nullable: true }) public data!: unknown;
  @ApiProperty() public at!: string;
}

export class PlanSummaryDto {
  @ApiProperty() public id!: string;
  @ApiProperty({ enum: ['SHUTDOWN', 'RESTART', 'ROLLOUT'] }) public kind!: string;
  @ApiProperty({ enum: ['ARMED', 'DRY_RUN'] }) public mode!: string;
  @ApiProperty({ enum: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] }) public state!: string;
  @ApiProperty({ nullable: true, type: String }) public reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) public dedupKey!: string | null;
  @ApiProperty({ nullable: true, type: Number }) public predictedSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String }) public pointOfNoReturnAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public createdBy!: string | null;
  @ApiProperty() public createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) public startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public cancelledAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Who cancelled: `operator:<token>` (a decision later evaluations respect) or `system:<why>` (power came back)',
  })
  public cancelledBy!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The outage this plan answers' })
  public outageId!: string | null;
  @ApiProperty({ type: Object, description: 'Step counts by state' }) public progress!: Record<string, number>;
}

export class PlanDetailDto extends PlanSummaryDto {
  @ApiProperty({ type: Object, nullable: true, description: 'Targets as requested' }) public targets!: unknown;
  @ApiProperty({ type: Object, nullable: true, description: 'Stages, warnings, battery checks, UPSes' })
  public detail!: unknown;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "Shutdown plans: the smallest battery runtime of the plan's hosts when it was made",
  })
  public batteryRuntimeSeconds!: number | null;
  @ApiProperty({ type: [PlanStepDto] }) public steps!: PlanStepDto[];
  @ApiProperty({ type: [PlanEventDto], description: 'Power events and decisions of this plan' })
  public events!: PlanEventDto[];
}

export class CancelResultDto {
  @ApiProperty() public planId!: string;
  @ApiProperty({ description: 'Steps cancelled (not started yet); running steps finish' })
  public cancelledSteps!: number;
}

export class PlanWarningDto {
  @ApiProperty({ enum: PREVIEW_WARNING_CODES, enumName: 'PlanWarningCode' })
  public code!: PlanWarningCode | HostProtectionWarningCode;
  @ApiProperty({ required: false, description: 'The host it is about, when it is about one' })
  public hostId?: string;
  @ApiProperty({ required: false, description: 'The name of that host' })
  public hostName?: string;
  @ApiProperty({ description: 'What is wrong and what to do, for a person' }) public message!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    description: 'The figures the message is made of (UPS id, seconds, percent...)',
  })
  public values!: Record<string, string | number>;
}

export class PowerCyclePreviewDto {
  @ApiProperty({ format: 'uuid' }) public upsId!: string;
  @ApiProperty({ example: 'ups1@nut-paris' }) public ups!: string;
  @ApiProperty({ enum: ['shutdown.return', 'shutdown.stayoff', 'load.off.delay+load.on.delay'] })
  public action!: string;
  @ApiProperty({ description: 'Seconds after the plan starts: the last host it feeds predicted down' })
  public predictedSendSeconds!: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the output goes off, when the delay is known' })
  public outputOffAt!: string | null;
  @ApiProperty({ description: 'The action with its timing, in one line' }) public timing!: string;
  @ApiProperty({ type: [String], description: 'Hosts of the plan it waits for' }) public hostNames!: string[];
  @ApiProperty({
    type: [String],
    description:
      'Every host the UPS feeds that boots when its output comes back if its BIOS powers on after AC loss (nutfleet cannot read that setting), including hosts that are off now',
  })
  public hostsItMayBoot!: string[];
  @ApiProperty({
    type: [String],
    description:
      "Warnings: the UPS's or a NUT primary's delays cutting power before the hosts are down, hosts an operator left off that it would boot, other loads",
  })
  public warnings!: string[];
}

export class ShutdownPreviewDto {
  @ApiProperty() public hostCount!: number;
  @ApiProperty() public predictedDurationSeconds!: number;
  @ApiProperty() public worstCaseDurationSeconds!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Smallest battery runtime of the plan hosts' })
  public batteryRuntimeSeconds!: number | null;
  @ApiProperty({ type: Object, isArray: true }) public stages!: unknown[];
  @ApiProperty({
    type: Object,
    isArray: true,
    description:
      'Each with its predicted timeline and `predictionSource` (where its predicted duration comes from: ' +
      '`measured` in an earlier armed plan, naming it, or the `policy` worst case)',
  })
  public steps!: unknown[];
  @ApiProperty({ type: Object, isArray: true, description: 'Per host: predicted end vs battery runtime' })
  public hostChecks!: unknown[];
  @ApiProperty({
    type: [PlanWarningDto],
    description: "The plan's battery warnings and every targeted host nutfleet could not protect now, and why",
  })
  public warnings!: PlanWarningDto[];
  @ApiProperty({ description: 'Targeted hosts with at least one protection warning' })
  public unprotected!: number;
  @ApiProperty({ type: Object, isArray: true }) public skipped!: unknown[];
  @ApiProperty() public powerOffMethod!: string;
  @ApiProperty({
    type: [PowerCyclePreviewDto],
    description: 'UPS power cycles sent once every host a UPS feeds is down (its power-cycle setting)',
  })
  public powerCycles!: PowerCyclePreviewDto[];
}
