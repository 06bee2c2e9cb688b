import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class ProposedServerDto {
  @ApiProperty({ example: 'nut1.lan:3493', description: 'host:port: how UPSes and feeds of the proposal name it' })
  public key!: string;
  @ApiProperty() public host!: string;
  @ApiProperty() public port!: number;
  @ApiProperty({ description: 'Name of the row to create (or of the existing server)' }) public name!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The server is already in the inventory' })
  public existingId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The NutUser the hosts use with it' })
  public username!: string | null;
  @ApiProperty({ type: [String] }) public hostNames!: string[];
}

export class ProposedUpsDto {
  @ApiProperty() public serverKey!: string;
  @ApiProperty() public name!: string;
  @ApiProperty({ nullable: true, type: String }) public existingId!: string | null;
  @ApiProperty({ type: [String] }) public hostNames!: string[];
}

export class ProposedFeedDto {
  @ApiProperty({ format: 'uuid' }) public hostId!: string;
  @ApiProperty() public hostName!: string;
  @ApiProperty() public serverKey!: string;
  @ApiProperty() public upsName!: string;
}

export class AdoptionProblemDto {
  @ApiProperty() public hostName!: string;
  @ApiProperty() public message!: string;
}

export class AdoptedValueVerdictDto {
  @ApiProperty({ description: 'The value the host runs, set by hand' }) public value!: number;
  @ApiProperty({ description: "Kept as the host's desired value (safe), or replaced by nutfleet's" })
  public kept!: boolean;
  @ApiProperty({ description: "Why, against nutfleet's plan for this host" }) public why!: string;
}

export class AdoptedTimingDto {
  @ApiProperty({ format: 'uuid' }) public hostId!: string;
  @ApiProperty() public hostName!: string;
  @ApiProperty({ type: AdoptedValueVerdictDto, nullable: true, description: 'NutFinalDelay as set by hand' })
  public finalDelay!: AdoptedValueVerdictDto | null;
  @ApiProperty({ type: AdoptedValueVerdictDto, nullable: true, description: 'NutOnBatteryDelay as set by hand' })
  public onBatteryDelay!: AdoptedValueVerdictDto | null;
  @ApiProperty({ description: 'Desired NutFinalDelay after adoption' }) public desiredFinalDelaySeconds!: number;
  @ApiProperty({ description: 'Desired NutOnBatteryDelay after adoption' })
  public desiredOnBatteryDelaySeconds!: number;
  @ApiProperty({ description: "The host's power-off deadline in nutfleet's plan, with the proposed feeds" })
  public deadline!: string;
}

export class ProposedHostSettingsDto {
  @ApiProperty({ format: 'uuid' }) public hostId!: string;
  @ApiProperty() public hostName!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'NutMinSupplies set by hand, to become minSupplies' })
  public minSupplies!: number | null;
  @ApiProperty({ nullable: true, type: Number }) public finalDelaySeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number }) public onBatteryDelaySeconds!: number | null;
}

export class AdoptionProposalDto {
  @ApiProperty({ type: [ProposedServerDto] }) public servers!: ProposedServerDto[];
  @ApiProperty({ type: [ProposedUpsDto] }) public upses!: ProposedUpsDto[];
  @ApiProperty({ type: [ProposedFeedDto], description: 'Only the feeds missing today' })
  public feeds!: ProposedFeedDto[];
  @ApiProperty({ type: [String], description: 'Hosts whose NutUpsName was understood' })
  public hostNames!: string[];
  @ApiProperty({ type: [ProposedHostSettingsDto], description: 'Hand-set settings each adopted host keeps' })
  public hostSettings!: ProposedHostSettingsDto[];
  @ApiProperty({
    type: [AdoptedTimingDto],
    description:
      'Hosts adopted now: the fallback timing they run, and whether it is kept (safe: the VIB still acts only after ' +
      "nutfleet's plan would have finished) or replaced, and why. A replaced value is also listed in problems.",
  })
  public timings!: AdoptedTimingDto[];
  @ApiProperty({ type: [AdoptionProblemDto] }) public problems!: AdoptionProblemDto[];
}

export class AdoptionPasswordDto {
  @ApiProperty({ example: 'nut1.lan:3493' })
  @IsString()
  @MaxLength(300)
  public serverKey!: string;

  @ApiProperty({ writeOnly: true, description: "The server's NutPassword (discovery never reads it back)" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  public password!: string;
}

export class ApplyAdoptionDto {
  @ApiPropertyOptional({
    type: [AdoptionPasswordDto],
    description:
      'Passwords of the servers to create (write-only, admin only). A server created without one has no password: ' +
      'its hosts then drift on NutPassword until it is set.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AdoptionPasswordDto)
  public passwords?: AdoptionPasswordDto[];
}

export class AdoptionResultDto {
  @ApiProperty({ type: [String] }) public serversCreated!: string[];
  @ApiProperty({ type: [String], example: ['ups1@nut1.lan'] }) public upsesCreated!: string[];
  @ApiProperty() public feedsCreated!: number;
  @ApiProperty({ type: [String] }) public hostNames!: string[];
  @ApiProperty({
    type: [String],
    description: 'Hosts whose hand-set minSupplies and fallback timing were recorded as their own settings',
  })
  public hostsUpdated!: string[];
}
