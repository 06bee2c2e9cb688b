import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { DRILL_KINDS, type DrillKindName } from '@nutfleet/plan';

const VERDICTS = ['as-predicted', 'slower', 'faster', 'fits', 'within-budget', 'over-budget', 'not-measured'];

export class StartDrillDto {
  @ApiProperty({
    enum: DRILL_KINDS,
    description:
      'rehearsal: the group’s shutdown plan as a dry-run over real SSH, timed host by host; ' +
      'live: an armed shutdown of the group then its Wake-on-LAN restart',
  })
  @IsIn([...DRILL_KINDS])
  public kind!: DrillKindName;

  @ApiProperty({ description: 'The test group: id or name' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  public group!: string;

  @ApiPropertyOptional({ type: [String], description: 'Host ids or names, all of the group; default the whole group' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  public hosts?: string[];

  @ApiPropertyOptional({ description: 'Live drills: the group’s name typed again, to confirm' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  public confirm?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  public reason?: string;
}

export class DrillStepReportDto {
  @ApiProperty({ enum: ['shutdown', 'restart'] }) public plan!: string;
  @ApiProperty() public key!: string;
  @ApiProperty() public action!: string;
  @ApiProperty({ nullable: true, type: String }) public vm!: string | null;
  @ApiProperty() public state!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'From the plan’s predicted timeline' })
  public predictedSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The step’s timeout' }) public budgetSeconds!:
    number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'From the step’s start and end' })
  public measuredSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public finishedAt!: string | null;
  @ApiProperty({ enum: VERDICTS, enumName: 'DrillVerdict' }) public verdict!: string;
  @ApiProperty({ nullable: true, type: String, description: 'What failed, or why it did not run' })
  public problem!: string | null;
}

export class DrillHostSpanDto {
  @ApiProperty({ nullable: true, type: Number }) public predictedSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number }) public measuredSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public finishedAt!: string | null;
  @ApiProperty({ enum: VERDICTS, enumName: 'DrillVerdict' }) public verdict!: string;
}

export class DrillWakeDto {
  @ApiProperty({ description: 'ESXi verified after the magic packet' }) public verified!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public packetSentAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public verifiedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) public secondsToVerified!: number | null;
  @ApiProperty({ nullable: true, type: Number }) public budgetSeconds!: number | null;
  @ApiProperty({ nullable: true, type: String }) public why!: string | null;
}

export class DrillFailureDto {
  @ApiProperty() public key!: string;
  @ApiProperty() public why!: string;
  @ApiProperty({ nullable: true, type: String, description: 'A failed step: its recognised cause' })
  public cause!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'A failed step: what to fix' })
  public fix!: string | null;
}

export class DrillPlanReportsDto {
  @ApiProperty({ nullable: true, type: String }) public shutdown!: string | null;
  @ApiProperty({ nullable: true, type: String }) public restart!: string | null;
}

export class DrillHostReportDto {
  @ApiProperty() public hostId!: string;
  @ApiProperty() public hostName!: string;
  @ApiProperty({ enum: ['ok', 'failed', 'not-run'] }) public result!: string;
  @ApiProperty({ type: DrillHostSpanDto, description: 'The host’s shutdown steps together' })
  public shutdown!: DrillHostSpanDto;
  @ApiProperty({ type: [DrillStepReportDto] }) public steps!: DrillStepReportDto[];
  @ApiProperty({ type: [DrillFailureDto] }) public failures!: DrillFailureDto[];
  @ApiProperty({ type: DrillWakeDto, nullable: true, description: 'Live drills only' })
  public wake!: DrillWakeDto | null;
}

export class DrillSummaryCountsDto {
  @ApiProperty() public hosts!: number;
  @ApiProperty() public ok!: number;
  @ApiProperty() public failed!: number;
  @ApiProperty() public notRun!: number;
  @ApiProperty({ description: 'Hosts whose shutdown (or its read-only part) took longer than predicted' })
  public slower!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Live drills: hosts woken and verified' })
  public woken!: number | null;
}

export class DrillReportDto {
  @ApiProperty() public drillId!: string;
  @ApiProperty({ enum: DRILL_KINDS }) public kind!: string;
  @ApiProperty() public group!: string;
  @ApiProperty() public requestedBy!: string;
  @ApiProperty() public state!: string;
  @ApiProperty({ format: 'date-time' }) public startedAt!: string;
  @ApiProperty({ format: 'date-time' }) public finishedAt!: string;
  @ApiProperty({ nullable: true, type: String }) public error!: string | null;
  @ApiProperty({ nullable: true, type: String }) public shutdownPlanId!: string | null;
  @ApiProperty({ nullable: true, type: String }) public restartPlanId!: string | null;
  @ApiProperty({ type: DrillPlanReportsDto, description: 'Each plan’s own report page' })
  public planReports!: DrillPlanReportsDto;
  @ApiProperty({ type: DrillSummaryCountsDto }) public summary!: DrillSummaryCountsDto;
  @ApiProperty({ type: [DrillHostReportDto], description: 'Failing hosts first' })
  public hosts!: DrillHostReportDto[];
}

export class DrillDto {
  @ApiProperty() public id!: string;
  @ApiProperty({ enum: DRILL_KINDS }) public kind!: DrillKindName;
  @ApiProperty({ enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'YIELDED'] }) public state!: string;
  @ApiProperty({ nullable: true, type: String }) public groupId!: string | null;
  @ApiProperty() public groupName!: string;
  @ApiProperty({ type: [String] }) public hostIds!: string[];
  @ApiProperty({ description: 'The token that asked, or "schedule"' }) public requestedBy!: string;
  @ApiProperty({ nullable: true, type: String }) public reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) public shutdownPlanId!: string | null;
  @ApiProperty({ nullable: true, type: String }) public restartPlanId!: string | null;
  @ApiProperty({ format: 'date-time' }) public createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) public finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) public error!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The real outage this drill yielded to' })
  public yieldedTo!: string | null;
  @ApiProperty({ description: 'A report is ready (GET /drills/:id/report)' }) public reportReady!: boolean;
}
