import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';

import { NUT_SERVER_PRESET_IDS, NUT_SERVER_PRESETS, type NutServerPreset } from '@nutfleet/nut';

import { RequireRole } from '../../auth/require-role.decorator';

export class NutServerPresetDto {
  @ApiProperty({ enum: NUT_SERVER_PRESET_IDS }) public id!: string;
  @ApiProperty({ example: 'Synology DSM (network UPS server)' }) public label!: string;
  @ApiProperty({ example: 3493 }) public port!: number;
  @ApiProperty({ nullable: true, type: String, description: 'UPS name the vendor fixes; null: chosen there' })
  public upsName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Account for remote monitors; null: created there' })
  public username!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Only where the vendor hard-codes it (it is then no secret); null: set there',
  })
  public knownPassword!: string | null;
  @ApiProperty({ description: 'Where, on that product, the real values are read or set' })
  public whereToCheck!: string;
  @ApiProperty({ description: 'Public documentation of these values' }) public reference!: string;
}

/** Its own path: under /nut-servers it would meet the CRUD controller's /:id first. */
@ApiTags('nut-servers')
@Controller('nut-server-presets')
export class NutServerPresetsController {
  @Get()
  @RequireRole('viewer')
  @ApiOperation({
    summary:
      'Connection values of common NUT servers (Synology, QNAP, pfSense, TrueNAS, Unraid, Home Assistant, Debian)',
    description: 'What the dashboard fills when adding a NUT server from a preset, with where to check each value.',
  })
  @ApiOkResponse({ type: NutServerPresetDto, isArray: true })
  public list(): readonly NutServerPreset[] {
    return NUT_SERVER_PRESETS;
  }
}
