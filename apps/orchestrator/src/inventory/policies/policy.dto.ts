import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';

import { TriggerCombination, VmFallbackAction } from '@nutfleet/db';

import { PageQueryDto } from '../../http/pagination';
import { IntRange } from '../common/int-field';
import { DescriptionField } from '../common/description-field';
import { NAME_PATTERN, NAME_RULE } from '../common/network-rules';

const DAY = 86_400;

/** Every column of Policy; see prisma/schema.prisma for the semantics of each. */
export class CreatePolicyDto {
  @ApiProperty({ example: 'branch-default' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public name!: string;

  @DescriptionField()
  public description?: string | null;

  @ApiPropertyOptional({
    enum: TriggerCombination,
    default: TriggerCombination.ANY,
    description: 'ANY trigger or ALL of the set ones',
  })
  @IsOptional()
  @IsEnum(TriggerCombination, { message: `must be one of ${Object.values(TriggerCombination).join(', ')}` })
  public triggerCombination?: TriggerCombination;

  @ApiPropertyOptional({ default: true, description: 'Shut down when the UPS reports LB' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  public onLowBattery?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Shut down on FSD' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  public onForcedShutdown?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: DAY,
    description: 'Seconds on battery before shutdown',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IntRange(0, DAY)
  public onBatterySeconds?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: DAY })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IntRange(0, DAY)
  public runtimeBelowSeconds?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 100 })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IntRange(0, 100)
  public chargeBelowPercent?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600, default: 15 })
  @IsOptional()
  @IntRange(1, 3600)
  public deadtimeSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 3600, default: 5 })
  @IsOptional()
  @IntRange(0, 3600)
  public flapGuardSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 7200, default: 120 })
  @IsOptional()
  @IntRange(0, 7200)
  public vmGuestShutdownTimeoutSecs?: number;

  @ApiPropertyOptional({ enum: VmFallbackAction, default: VmFallbackAction.POWER_OFF })
  @IsOptional()
  @IsEnum(VmFallbackAction, { message: `must be one of ${Object.values(VmFallbackAction).join(', ')}` })
  public vmFallbackAction?: VmFallbackAction;

  @ApiPropertyOptional({ minimum: 0, maximum: DAY, default: 60 })
  @IsOptional()
  @IntRange(0, DAY)
  public pointOfNoReturnSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: DAY, default: 300 })
  @IsOptional()
  @IntRange(0, DAY)
  public restartStableSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 50 })
  @IsOptional()
  @IntRange(0, 100)
  public restartMinChargePercent?: number;
}

export class UpdatePolicyDto extends PartialType(CreatePolicyDto) {}

export class PolicyQueryDto extends PageQueryDto {}

export class PolicyDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ nullable: true, type: String }) public description!: string | null;
  @ApiProperty({ enum: TriggerCombination }) public triggerCombination!: TriggerCombination;
  @ApiProperty() public onLowBattery!: boolean;
  @ApiProperty() public onForcedShutdown!: boolean;
  @ApiProperty({ nullable: true, type: Number }) public onBatterySeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number }) public runtimeBelowSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number }) public chargeBelowPercent!: number | null;
  @ApiProperty() public deadtimeSeconds!: number;
  @ApiProperty() public flapGuardSeconds!: number;
  @ApiProperty() public vmGuestShutdownTimeoutSecs!: number;
  @ApiProperty({ enum: VmFallbackAction }) public vmFallbackAction!: VmFallbackAction;
  @ApiProperty() public pointOfNoReturnSeconds!: number;
  @ApiProperty() public restartStableSeconds!: number;
  @ApiProperty() public restartMinChargePercent!: number;
  @ApiProperty() public createdAt!: string;
  @ApiProperty() public updatedAt!: string;
}

export class PolicyPageDto {
  @ApiProperty({ type: [PolicyDto] }) public items!: PolicyDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}
