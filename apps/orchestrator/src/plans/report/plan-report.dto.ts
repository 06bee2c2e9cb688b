import { ApiProperty } from '@nestjs/swagger';

import {
  FAILURE_CAUSES,
  type FailureCause,
  type HostOutcome,
  PLAN_KINDS,
  PLAN_STATES,
  type PlanKind,
  type PlanMode,
  type PlanState,
  STEP_STATES,
  type StepState,
  type TimelineEntryKind,
} from '@nutfleet/plan';
import {
  PREDICTION_SOURCE_KINDS,
  type PredictionSourceKind,
  READINESS_CHECK_CODES,
  type ReadinessCheckCode,
} from '@nutfleet/power';

const nullableNumber = (description?: string) =>
  ApiProperty({ type: Number, nullable: true, ...(description ? { description } : {}) });
const nullableString = (description?: string) =>
  ApiProperty({ type: String, nullable: true, ...(description ? { description } : {}) });

export class PredictionSourceDto {
  @ApiProperty({ enum: PREDICTION_SOURCE_KINDS }) public readonly kind!: PredictionSourceKind;
  @ApiProperty({ description: 'The figure and where it comes from, in words' }) public readonly text!: string;
  @ApiProperty({ required: false, description: 'policy: the setting' }) public readonly setting?: string;
  @ApiProperty({ required: false, description: 'measured: the plan it was measured in' })
  public readonly planId?: string;
  @ApiProperty({ required: false, description: 'measured: when (epoch ms)' }) public readonly measuredAt?: number;
  @ApiProperty({ required: false, description: 'measured: how many measurements' })
  public readonly samples?: number;
}

export class ReportStepDto {
  @ApiProperty() public readonly key!: string;
  @ApiProperty() public readonly action!: string;
  @ApiProperty({ description: 'The step in words' }) public readonly what!: string;
  @nullableString() public readonly vmName!: string | null;
  @ApiProperty({ enum: STEP_STATES }) public readonly state!: StepState;
  @ApiProperty() public readonly attempts!: number;
  @nullableString() public readonly startedAt!: string | null;
  @nullableString() public readonly finishedAt!: string | null;
  @nullableNumber('Predicted duration when the plan was made') public readonly predictedSeconds!: number | null;
  @nullableNumber() public readonly actualSeconds!: number | null;
  @ApiProperty({ type: PredictionSourceDto, nullable: true })
  public readonly predictionSource!: PredictionSourceDto | null;
  @nullableString() public readonly error!: string | null;
}

export class ReportHostDto {
  @nullableString() public readonly hostId!: string | null;
  @ApiProperty() public readonly hostName!: string;
  @ApiProperty({ enum: ['succeeded', 'failed', 'cancelled', 'skipped', 'unfinished'] })
  public readonly outcome!: HostOutcome;
  @nullableNumber('From its first step start to its last step end, predicted') public readonly predictedSeconds!:
    number | null;
  @nullableNumber('The same span as it happened') public readonly actualSeconds!: number | null;
  @nullableNumber('actual − predicted') public readonly differenceSeconds!: number | null;
  @nullableNumber('Restart plans: the host budget from magic packet to verified ESXi')
  public readonly budgetSeconds!: number | null;
  @nullableString() public readonly startedAt!: string | null;
  @nullableString() public readonly finishedAt!: string | null;
  @ApiProperty({ type: [ReportStepDto] }) public readonly steps!: readonly ReportStepDto[];
}

export class ReportFailureDto {
  @nullableString('Host (or UPS) name') public readonly hostName!: string | null;
  @ApiProperty() public readonly stepKey!: string;
  @ApiProperty() public readonly action!: string;
  @ApiProperty() public readonly what!: string;
  @ApiProperty({ enum: STEP_STATES }) public readonly state!: StepState;
  @nullableString() public readonly at!: string | null;
  @ApiProperty() public readonly error!: string;
  @ApiProperty({ enum: FAILURE_CAUSES }) public readonly cause!: FailureCause;
  @ApiProperty({ description: 'What to change so that the next outage goes well' }) public readonly fix!: string;
  @ApiProperty({ enum: READINESS_CHECK_CODES, nullable: true })
  public readonly readinessCheck!: ReadinessCheckCode | null;
}

export class ReportFixDto {
  @ApiProperty({ enum: FAILURE_CAUSES }) public readonly cause!: FailureCause;
  @ApiProperty() public readonly fix!: string;
  @ApiProperty({ enum: READINESS_CHECK_CODES, nullable: true })
  public readonly readinessCheck!: ReadinessCheckCode | null;
  @ApiProperty({ type: [String] }) public readonly targets!: readonly string[];
}

export class BatteryReadingDto {
  @ApiProperty() public readonly at!: string;
  @nullableNumber() public readonly chargePercent!: number | null;
  @nullableNumber() public readonly runtimeSeconds!: number | null;
}

export class ReportBatteryDto {
  @ApiProperty() public readonly upsId!: string;
  @ApiProperty() public readonly upsName!: string;
  @ApiProperty({ type: BatteryReadingDto, nullable: true }) public readonly start!: BatteryReadingDto | null;
  @ApiProperty({ type: BatteryReadingDto, nullable: true }) public readonly end!: BatteryReadingDto | null;
  @nullableNumber('Percentage points used') public readonly chargeUsedPercent!: number | null;
  @nullableNumber() public readonly runtimeUsedSeconds!: number | null;
  @nullableNumber() public readonly lowestChargePercent!: number | null;
  @ApiProperty() public readonly samples!: number;
}

export class TimelineEntryDto {
  @ApiProperty() public readonly at!: string;
  @ApiProperty({ description: 'Seconds from the plan start' }) public readonly offsetSeconds!: number;
  @ApiProperty({ enum: ['plan', 'host', 'step', 'power'] }) public readonly kind!: TimelineEntryKind;
  @nullableString() public readonly hostName!: string | null;
  @ApiProperty() public readonly text!: string;
  @ApiProperty({ description: 'A failure or cancellation' }) public readonly problem!: boolean;
}

export class ReportSummaryDto {
  @ApiProperty() public readonly hosts!: number;
  @ApiProperty() public readonly hostsSucceeded!: number;
  @ApiProperty() public readonly hostsFailed!: number;
  @ApiProperty() public readonly steps!: number;
  @ApiProperty() public readonly stepsFailed!: number;
  @ApiProperty() public readonly stepsCancelled!: number;
}

export class PlanReportDto {
  @ApiProperty() public readonly planId!: string;
  @ApiProperty({ enum: PLAN_KINDS }) public readonly kind!: PlanKind;
  @ApiProperty({ enum: ['ARMED', 'DRY_RUN'] }) public readonly mode!: PlanMode;
  @ApiProperty({ enum: PLAN_STATES }) public readonly state!: PlanState;
  @nullableString() public readonly reason!: string | null;
  @nullableString() public readonly createdBy!: string | null;
  @nullableString() public readonly outageId!: string | null;
  @ApiProperty() public readonly createdAt!: string;
  @nullableString() public readonly startedAt!: string | null;
  @nullableString() public readonly finishedAt!: string | null;
  @nullableString() public readonly cancelledBy!: string | null;
  @ApiProperty({ description: 'False while the plan runs: figures are then up to generatedAt' })
  public readonly ended!: boolean;
  @ApiProperty() public readonly generatedAt!: string;
  @nullableNumber() public readonly predictedSeconds!: number | null;
  @nullableNumber() public readonly actualSeconds!: number | null;
  @ApiProperty({ type: ReportSummaryDto }) public readonly summary!: ReportSummaryDto;
  @ApiProperty({ type: [TimelineEntryDto] }) public readonly timeline!: readonly TimelineEntryDto[];
  @ApiProperty({ type: [ReportHostDto] }) public readonly hosts!: readonly ReportHostDto[];
  @ApiProperty({ type: [ReportFailureDto] }) public readonly failures!: readonly ReportFailureDto[];
  @ApiProperty({ type: [ReportFixDto] }) public readonly fixes!: readonly ReportFixDto[];
  @ApiProperty({ type: [ReportBatteryDto] }) public readonly battery!: readonly ReportBatteryDto[];
}
