import { ApiProperty } from '@nestjs/swagger';

export class ArtifactDto {
  @ApiProperty() public id!: string;
  @ApiProperty({ enum: ['vib', 'bundle'] }) public kind!: 'vib' | 'bundle';
  @ApiProperty({ example: 'upsmon-2.8.5-2.7.3.x86_64.vib' }) public fileName!: string;
  @ApiProperty({ example: 'upsmon' }) public name!: string;
  @ApiProperty({ example: '2.8.5-2.7.3' }) public version!: string;
  @ApiProperty({ example: 'Margar' }) public vendor!: string;
  @ApiProperty({ example: 'community' }) public acceptanceLevel!: string;
  @ApiProperty({ example: 'Margar_bootbank_upsmon_2.8.5-2.7.3' }) public vibId!: string;
  @ApiProperty() public sha256!: string;
  @ApiProperty() public sizeBytes!: number;
  @ApiProperty({ type: Object, description: 'Parsed descriptor.xml of the VIB (for a bundle, the VIB inside it)' })
  public descriptor!: Record<string, unknown>;
  @ApiProperty() public createdAt!: string;
}
