import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { PlanTargetsDto } from '../plans/plan.dto';

/** The plans' host selection, plus "only the drifted ones". */
export class RolloutTargetDto extends PlanTargetsDto {
  @ApiPropertyOptional({
    description:
      'Only the hosts (of the selection above, or of the whole fleet when none is given) that GET /hosts/drift lists as drifted for this rollout',
  })
  @IsOptional()
  @IsBoolean()
  public drifted?: boolean;
}

export class CreateRolloutDto {
  @ApiProperty({
    enum: ['install', 'upgrade', 'configure', 'uninstall'],
    description:
      'install/upgrade: deploy the artifact (update when the host has an older version, nothing when it has this one) and configure; ' +
      'configure: UserVars only; uninstall: stop the service and remove the VIB',
  })
  @IsIn(['install', 'upgrade', 'configure', 'uninstall'])
  public action!: 'install' | 'upgrade' | 'configure' | 'uninstall';

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for install and upgrade' })
  @IsOptional()
  @IsUUID()
  public artifactId?: string;

  @ApiProperty({ type: RolloutTargetDto })
  @IsDefined({ message: 'target is required (e.g. { "all": true } or { "hosts": ["esx-01"] })' })
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutTargetDto)
  public target!: RolloutTargetDto;

  @ApiPropertyOptional({ default: 1, minimum: 0, description: 'Hosts in the first wave, alone' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  public canaryCount?: number;

  @ApiPropertyOptional({
    default: 10,
    minimum: 1,
    description: 'Hosts per wave after the canary (all in flight at once)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5_000)
  public maxInFlight?: number;

  @ApiPropertyOptional({
    default: 0,
    minimum: 0,
    description: 'Seconds between the end of a wave and the start of the next',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  public pauseSeconds?: number;

  @ApiPropertyOptional({
    default: 0.1,
    minimum: 0,
    maximum: 1,
    description: 'Later waves are not started once failed/finished hosts exceeds this (judged after each wave)',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  public maxFailureRatio?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'Lower a host acceptance level to CommunitySupported when the VIB needs it',
  })
  @IsOptional()
  @IsBoolean()
  public allowAcceptanceChange?: boolean;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  public reason?: string;
}

/**
 * Resume with changed options: the settings read while the rollout runs (not the wave layout,
 * fixed when it was created). Left out: unchanged.
 */
export class RolloutResumeDto {
  @ApiPropertyOptional({
    description:
      'Lower a host acceptance level to CommunitySupported when the VIB needs it (e.g. after hosts failed on it)',
  })
  @IsOptional()
  @IsBoolean()
  public allowAcceptanceChange?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'New failure ratio above which later waves are not started',
  })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  public maxFailureRatio?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 86_400, description: 'New pause between waves, seconds' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  public pauseSeconds?: number;
}

export class RolloutCancelDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  public reason?: string;
}

export class DeployStepEntryDto {
  @ApiProperty({ example: 'install' }) public step!: string;
  @ApiProperty({ enum: ['done', 'skipped'] }) public outcome!: string;
  @ApiProperty() public summary!: string;
}

export class RolloutHostDto {
  @ApiProperty() public stepId!: string;
  @ApiProperty({ nullable: true, type: String }) public hostId!: string | null;
  @ApiProperty() public hostName!: string;
  @ApiProperty() public wave!: number;
  @ApiProperty({ enum: ['PENDING', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED'] })
  public state!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last deploy step recorded in the journal' })
  public currentStep!: string | null;
  @ApiProperty({ type: [DeployStepEntryDto] }) public steps!: DeployStepEntryDto[];
  @ApiProperty() public attempts!: number;
  @ApiProperty({ nullable: true, type: String }) public startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public output!: string | null;
  @ApiProperty({ nullable: true, type: String }) public error!: string | null;
}

export class RolloutSummaryDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public planId!: string;
  @ApiProperty({ enum: ['install', 'upgrade', 'configure', 'uninstall'] }) public action!: string;
  @ApiProperty({ nullable: true, type: String }) public artifactId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'upsmon 2.8.5-2.7.3' }) public artifact!: string | null;
  @ApiProperty({ enum: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] }) public state!: string;
  @ApiProperty({ type: Object, description: 'The target as given' }) public target!: Record<string, unknown>;
  @ApiProperty() public canaryCount!: number;
  @ApiProperty() public maxInFlight!: number;
  @ApiProperty() public pauseSeconds!: number;
  @ApiProperty() public maxFailureRatio!: number;
  @ApiProperty() public allowAcceptanceChange!: boolean;
  @ApiProperty() public hostCount!: number;
  @ApiProperty() public waveCount!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Hosts by state' })
  public counts!: Record<string, number>;
  @ApiProperty({ nullable: true, type: String, description: 'Why later waves were not started' })
  public stoppedReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) public createdBy!: string | null;
  @ApiProperty() public createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) public startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public cancelledAt!: string | null;
}

export class RolloutDetailDto extends RolloutSummaryDto {
  @ApiProperty({ type: [RolloutHostDto] }) public hosts!: RolloutHostDto[];
}

export class DeadlineStageDto {
  @ApiProperty() public stage!: number;
  @ApiProperty({ description: 'How long the stage can take: the longest own steps among its hosts on these UPSes' })
  public seconds!: number;
  @ApiProperty({ description: 'The host that sets that length' }) public boundedBy!: string;
}

export class ShutdownDeadlineDto {
  @ApiProperty() public seconds!: number;
  @ApiProperty() public stage!: number;
  @ApiProperty({ description: "This host's own steps: its VM batches one after another, then its poweroff" })
  public ownSeconds!: number;
  @ApiProperty({ type: [String], description: 'The UPSes whose outage the deadline is counted for' })
  public upses!: string[];
  @ApiProperty({ type: [DeadlineStageDto], description: 'Earlier stages among hosts sharing one of these UPSes' })
  public earlierStages!: DeadlineStageDto[];
  @ApiProperty() public explanation!: string;
}

export class DesiredConfigDto {
  @ApiProperty() public hostId!: string;
  @ApiProperty() public hostName!: string;
  @ApiProperty({ description: 'false: the inventory cannot produce a valid configuration (see problems)' })
  public ok!: boolean;
  @ApiProperty({ description: 'NutClient version whose options and ranges were applied' }) public vibVersion!: string;
  @ApiPropertyOptional({ type: Object, description: 'UserVars.Nut* values; NutPassword is shown as "***"' })
  public userVars?: Record<string, string | number>;
  @ApiPropertyOptional({
    type: Object,
    description:
      'Why each value is what it is, by option name (e.g. NutFinalDelay: "L + D + M = 0 + 820 + 60 = 880 s: ... D: ... ' +
      'stage 2 in an outage of ups1@nut1 starts after stage 0 (280 s, set by esx-03) ...")',
  })
  public reasons?: Record<string, string>;
  @ApiPropertyOptional({
    description:
      "Deadline of this host's power-off in nutfleet's plan for an outage of its own UPSes, seconds from plan start " +
      '(hosts on other UPSes or in later stages do not count)',
  })
  public plannedShutdownDeadlineSeconds?: number;
  @ApiPropertyOptional({ type: () => ShutdownDeadlineDto }) public deadline?: ShutdownDeadlineDto;
  @ApiPropertyOptional({ type: Object }) public timing?: { finalDelaySeconds: number; onBatteryDelaySeconds: number };
  @ApiPropertyOptional({ type: [String] }) public warnings?: string[];
  @ApiPropertyOptional({ type: [Object], description: 'field, code, message' })
  public problems?: Array<{ field: string; code: string; message: string }>;
}

export class UserVarChangeDto {
  @ApiProperty() public name!: string;
  @ApiProperty({ enum: ['string', 'int'] }) public type!: string;
  @ApiProperty({ nullable: true, oneOf: [{ type: 'string' }, { type: 'number' }] }) public from!:
    string | number | null;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }] }) public to!: string | number;
}

export class HostDriftDto {
  @ApiProperty() public hostId!: string;
  @ApiProperty() public hostName!: string;
  @ApiProperty({ type: [String] }) public reasons!: string[];
  @ApiProperty({ nullable: true, type: String }) public installedVersion!: string | null;
  @ApiProperty({ nullable: true, type: String }) public desiredVersion!: string | null;
  @ApiProperty({ type: [UserVarChangeDto], description: 'Redacted: NutPassword as "***"' })
  public userVarChanges!: UserVarChangeDto[];
  @ApiProperty({ type: [String], description: 'Inventory problems (the desired configuration cannot be built)' })
  public problems!: string[];
}

export class DriftReportDto {
  @ApiProperty({ nullable: true, type: String, description: 'Artifact whose version is desired (none: UserVars only)' })
  public artifactId!: string | null;
  @ApiProperty() public checkedHosts!: number;
  @ApiProperty({ type: [HostDriftDto] }) public drifted!: HostDriftDto[];
}
