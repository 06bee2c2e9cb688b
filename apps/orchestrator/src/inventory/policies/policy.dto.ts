import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

import { TriggerCombination, VmFallbackAction } from '@nutfleet/db';

import { PageQueryDto } from '../../http/pagination';
import { DescriptionField } from '../common/description-field';
import { NAME_PATTERN, NAME_RULE } from '../common/network-rules';
import { ReadOnlyInput, SettingInput, SettingOutput } from './policy-setting.decorators';

const IS_DEFAULT_READ_ONLY =
  'is read-only: POST /policies/{id}/make-default makes a policy the default (the previous one stops being it)';

/**
 * Every decision setting of a policy (descriptions and ranges in policy-settings.ts). A create or
 * change is also checked as the engine will read it (libs/power `resolveShutdownPolicy`), so a
 * stored policy never fails later, at decision time.
 */
export class CreatePolicyDto {
  @ApiProperty({ example: 'branch-default' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public name!: string;

  @DescriptionField()
  public description?: string | null;

  @ReadOnlyInput(IS_DEFAULT_READ_ONLY)
  public isDefault?: never;

  @SettingInput('triggerCombination') public triggerCombination?: TriggerCombination;
  @SettingInput('onLowBattery') public onLowBattery?: boolean;
  @SettingInput('onForcedShutdown') public onForcedShutdown?: boolean;
  @SettingInput('onBatterySeconds') public onBatterySeconds?: number | null;
  @SettingInput('runtimeBelowSeconds') public runtimeBelowSeconds?: number | null;
  @SettingInput('chargeBelowPercent') public chargeBelowPercent?: number | null;
  @SettingInput('lowBatteryConfirmSeconds') public lowBatteryConfirmSeconds?: number;
  @SettingInput('deadtimeSeconds') public deadtimeSeconds?: number;
  @SettingInput('flapGuardSeconds') public flapGuardSeconds?: number;
  @SettingInput('flapMaxOnsets') public flapMaxOnsets?: number;
  @SettingInput('flapWindowSeconds') public flapWindowSeconds?: number;
  @SettingInput('flapOnBatteryBudgetSeconds') public flapOnBatteryBudgetSeconds?: number | null;
  @SettingInput('calibrationEmergencyChargePercent') public calibrationEmergencyChargePercent?: number;
  @SettingInput('calibrationEmergencyRuntimeSeconds') public calibrationEmergencyRuntimeSeconds?: number;
  @SettingInput('calibrationMaxSeconds') public calibrationMaxSeconds?: number;
  @SettingInput('calibrationNoInputEndsExcuse') public calibrationNoInputEndsExcuse?: boolean;
  @SettingInput('offDurationSeconds') public offDurationSeconds?: number | null;
  @SettingInput('vmGuestShutdownTimeoutSecs') public vmGuestShutdownTimeoutSecs?: number;
  @SettingInput('vmFallbackAction') public vmFallbackAction?: VmFallbackAction;
  @SettingInput('vmWithoutToolsAction') public vmWithoutToolsAction?: VmFallbackAction;
  @SettingInput('vmSuspendTimeoutSecs') public vmSuspendTimeoutSecs?: number;
  @SettingInput('vmPowerOffTimeoutSecs') public vmPowerOffTimeoutSecs?: number;
  @SettingInput('hostPowerOffTimeoutSecs') public hostPowerOffTimeoutSecs?: number;
  @SettingInput('pointOfNoReturnSeconds') public pointOfNoReturnSeconds?: number;
  @SettingInput('powerBackConfirmSeconds') public powerBackConfirmSeconds?: number;
  @SettingInput('restartStableSeconds') public restartStableSeconds?: number;
  @SettingInput('restartMinChargePercent') public restartMinChargePercent?: number;
}

// null is validated too: only the settings that can be off accept it.
export class UpdatePolicyDto extends PartialType(CreatePolicyDto, { skipNullProperties: false }) {}

export class PolicyQueryDto extends PageQueryDto {}

export class PolicyDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ nullable: true, type: String }) public description!: string | null;
  @ApiProperty({
    readOnly: true,
    description:
      'The default policy: hosts without a policy of their own or of their group follow it. Exactly one policy is ' +
      'the default; it can be changed like any other but not deleted. POST /policies/{id}/make-default moves it.',
  })
  public isDefault!: boolean;

  @SettingOutput('triggerCombination') public triggerCombination!: TriggerCombination;
  @SettingOutput('onLowBattery') public onLowBattery!: boolean;
  @SettingOutput('onForcedShutdown') public onForcedShutdown!: boolean;
  @SettingOutput('onBatterySeconds') public onBatterySeconds!: number | null;
  @SettingOutput('runtimeBelowSeconds') public runtimeBelowSeconds!: number | null;
  @SettingOutput('chargeBelowPercent') public chargeBelowPercent!: number | null;
  @SettingOutput('lowBatteryConfirmSeconds') public lowBatteryConfirmSeconds!: number;
  @SettingOutput('deadtimeSeconds') public deadtimeSeconds!: number;
  @SettingOutput('flapGuardSeconds') public flapGuardSeconds!: number;
  @SettingOutput('flapMaxOnsets') public flapMaxOnsets!: number;
  @SettingOutput('flapWindowSeconds') public flapWindowSeconds!: number;
  @SettingOutput('flapOnBatteryBudgetSeconds') public flapOnBatteryBudgetSeconds!: number | null;
  @SettingOutput('calibrationEmergencyChargePercent') public calibrationEmergencyChargePercent!: number;
  @SettingOutput('calibrationEmergencyRuntimeSeconds') public calibrationEmergencyRuntimeSeconds!: number;
  @SettingOutput('calibrationMaxSeconds') public calibrationMaxSeconds!: number;
  @SettingOutput('calibrationNoInputEndsExcuse') public calibrationNoInputEndsExcuse!: boolean;
  @SettingOutput('offDurationSeconds') public offDurationSeconds!: number | null;
  @SettingOutput('vmGuestShutdownTimeoutSecs') public vmGuestShutdownTimeoutSecs!: number;
  @SettingOutput('vmFallbackAction') public vmFallbackAction!: VmFallbackAction;
  @SettingOutput('vmWithoutToolsAction') public vmWithoutToolsAction!: VmFallbackAction;
  @SettingOutput('vmSuspendTimeoutSecs') public vmSuspendTimeoutSecs!: number;
  @SettingOutput('vmPowerOffTimeoutSecs') public vmPowerOffTimeoutSecs!: number;
  @SettingOutput('hostPowerOffTimeoutSecs') public hostPowerOffTimeoutSecs!: number;
  @SettingOutput('pointOfNoReturnSeconds') public pointOfNoReturnSeconds!: number;
  @SettingOutput('powerBackConfirmSeconds') public powerBackConfirmSeconds!: number;
  @SettingOutput('restartStableSeconds') public restartStableSeconds!: number;
  @SettingOutput('restartMinChargePercent') public restartMinChargePercent!: number;

  @ApiProperty() public createdAt!: string;
  @ApiProperty() public updatedAt!: string;
}

export class PolicyPageDto {
  @ApiProperty({ type: [PolicyDto] }) public items!: PolicyDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}
