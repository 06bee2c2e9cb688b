import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

import { HOST_FACT_READS } from '@nutfleet/db';

/** OpenAPI shape of libs/db's FactReadStatus. */
export class FactReadErrorDto {
  @ApiProperty({ example: 'VimCmdUnknownCommandError', description: "The error's class" })
  public code!: string;
  @ApiProperty({ description: 'Names the host and the command, and says what went wrong' })
  public message!: string;
}

export class FactReadStatusDto {
  @ApiProperty({ enum: ['ok', 'failed'] }) public state!: 'ok' | 'failed';
  @ApiProperty({ format: 'date-time', description: 'When the read was made' }) public at!: string;
  @ApiPropertyOptional({ enum: ['discovery', 'rollout'], description: 'ok: what read it' })
  public by?: 'discovery' | 'rollout';
  @ApiPropertyOptional({ type: FactReadErrorDto, description: 'failed: why' })
  public error?: FactReadErrorDto;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'failed: when the value still held was read; null = never read, the fact is unknown',
  })
  public valueReadAt?: string | null;
}

/** OpenAPI shape of libs/db's HostFacts (schema 2); the nested facts are described, not typed. */
@ApiExtraModels(FactReadStatusDto)
export class HostFactsDto {
  @ApiProperty({ example: 2 }) public schemaVersion!: number;
  @ApiProperty({ format: 'date-time' }) public discoveredAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(FactReadStatusDto) },
    description:
      `How the last read of each fact went, by read (${HOST_FACT_READS.join(', ')}).` +
      ' A failed read keeps the value of its last good read (valueReadAt) or, ' +
      'never read, "unknown": null, or for vms [] and autostart.defaults.stopAction "unknown" — so VMs unknown ' +
      '(reads.vms.state = failed) is never the same as no VMs.',
  })
  public reads!: Record<string, FactReadStatusDto>;
  @ApiProperty({ type: Object, nullable: true, description: 'esxcli system version get' }) public esxi!: unknown;
  @ApiProperty({ type: [Object], nullable: true, description: 'esxcli network nic list' }) public nics!: unknown;
  @ApiProperty({ type: [Object], description: 'VMs with power and VMware Tools state' }) public vms!: unknown;
  @ApiProperty({ type: [Number] }) public invalidVmIds!: number[];
  @ApiProperty({ type: Object, description: 'defaults and sequence' }) public autostart!: unknown;
  @ApiProperty({ type: Object, nullable: true, description: 'NutClient VIB: installed, version, vendor...' })
  public nutClient!: unknown;
  @ApiProperty({ type: Object, nullable: true, description: 'UserVars.Nut* by name (NutPassword: set or not)' })
  public nutUserVars!: unknown;
  @ApiProperty({ type: String, nullable: true }) public acceptanceLevel!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) public maintenanceMode!: boolean | null;
}
