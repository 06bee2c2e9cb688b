import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, ValidateIf } from 'class-validator';

import { POWER_CYCLE_ACTIONS, type PowerCycleAction } from '@nutfleet/power';

import { IntRange } from '../inventory/common/int-field';

const ACTION_HELP =
  'What nutfleet sends this UPS once every host it feeds is down: none; shutdown.return (output off after the shutdown delay, ' +
  'back once mains is); shutdown.stayoff (off until someone turns it on); load.off.delay+load.on.delay (both timers, only ' +
  'while the input is on line)';

/** PUT body: the whole setting, replaced at once (admin only). */
export class UpsPowerCycleInputDto {
  @ApiProperty({ enum: POWER_CYCLE_ACTIONS, description: ACTION_HELP })
  @IsIn(POWER_CYCLE_ACTIONS, { message: `must be one of ${POWER_CYCLE_ACTIONS.join(', ')}` })
  public action!: PowerCycleAction;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Written to ups.delay.shutdown first, where writable (s)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IntRange(0, 86_400)
  public offDelaySeconds?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Written to ups.delay.start first, where writable (s)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IntRange(0, 86_400)
  public onDelaySeconds?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Written to battery.charge.restart first, where writable (%)',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IntRange(0, 100)
  public chargeRestartPercent?: number | null;

  @ApiPropertyOptional({
    default: false,
    description: 'The UPS also feeds loads nutfleet does not manage (switches, NAS…): no cycle unless allowed below',
  })
  @IsOptional()
  @IsBoolean()
  public feedsUnmanagedLoads?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'Cycle anyway although this UPS feeds hosts the plan leaves running or unmanaged loads: they lose power for the cycle',
  })
  @IsOptional()
  @IsBoolean()
  public allowWithUnmanagedLoads?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description:
      "HOSTSYNC of a NUT primary (upsmon) that may kill this UPS's power, if there is one: the preview warns when it would cut before the hosts are down",
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IntRange(0, 86_400)
  public nutPrimaryHostSyncSeconds?: number | null;
}

export class UpsPowerCycleDto {
  @ApiProperty({ format: 'uuid' }) public upsId!: string;
  @ApiProperty({ example: 'ups1@nut-paris' }) public address!: string;
  @ApiProperty({ enum: POWER_CYCLE_ACTIONS }) public action!: PowerCycleAction;
  @ApiProperty({ type: Number, nullable: true }) public offDelaySeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) public onDelaySeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) public chargeRestartPercent!: number | null;
  @ApiProperty() public feedsUnmanagedLoads!: boolean;
  @ApiProperty() public allowWithUnmanagedLoads!: boolean;
  @ApiProperty({ type: Number, nullable: true }) public nutPrimaryHostSyncSeconds!: number | null;
  @ApiProperty({
    description:
      "The UPS's NUT server has an INSTCMD/SET account with a stored password (commandUsername/commandPassword)",
  })
  public commandAccountReady!: boolean;
}

export class PowerCycleRequestDto {
  @ApiProperty({ enum: ['set-var', 'instcmd'] }) public kind!: 'set-var' | 'instcmd';
  @ApiPropertyOptional() public name?: string;
  @ApiPropertyOptional() public value?: string;
  @ApiPropertyOptional() public command?: string;
  @ApiPropertyOptional() public param?: string;
}

export class PowerCycleSkippedSettingDto {
  @ApiProperty() public variable!: string;
  @ApiProperty() public value!: string;
  @ApiProperty() public reason!: string;
}

export class PowerCycleTestErrorDto {
  @ApiProperty({
    example: 'CMD-NOT-SUPPORTED',
    description:
      'CMD-NOT-SUPPORTED, ACCESS-DENIED, NO-COMMAND-ACCOUNT, NOT-CONFIGURED, SECRET, NOT-ALLOWED, NO-NUT-SERVER, or another NUT code',
  })
  public code!: string;
  @ApiProperty() public message!: string;
}

export class PowerCycleTestDto {
  @ApiProperty({ description: 'The chosen action can be sent to this UPS with the stored account' })
  public ok!: boolean;
  @ApiProperty({ example: 'ups1@10.0.0.5:3493' }) public ups!: string;
  @ApiProperty({ enum: POWER_CYCLE_ACTIONS }) public action!: PowerCycleAction;
  @ApiPropertyOptional({ type: [String], description: 'LIST CMD: every instant command the UPS offers' })
  public commands?: string[];
  @ApiPropertyOptional({ type: [String], description: 'LIST RW: every writable variable' })
  public writable?: string[];
  @ApiPropertyOptional({
    enum: POWER_CYCLE_ACTIONS,
    isArray: true,
    description: 'The actions whose instant commands this UPS offers',
  })
  public supportedActions?: PowerCycleAction[];
  @ApiPropertyOptional({ type: [String], description: 'Commands the action needs that the UPS does not offer' })
  public missingCommands?: string[];
  @ApiPropertyOptional({ type: [PowerCycleRequestDto], description: 'What would be sent, in order' })
  public requests?: PowerCycleRequestDto[];
  @ApiPropertyOptional({ type: [PowerCycleSkippedSettingDto] }) public skippedSettings?: PowerCycleSkippedSettingDto[];
  @ApiPropertyOptional({
    description:
      'The account was proven (password and actions = SET) without changing anything; its `instcmds` right can only show when the command is sent',
  })
  public accountVerified?: boolean;
  @ApiProperty({ type: [String] }) public notes!: string[];
  @ApiPropertyOptional({ type: PowerCycleTestErrorDto }) public error?: PowerCycleTestErrorDto;
}
