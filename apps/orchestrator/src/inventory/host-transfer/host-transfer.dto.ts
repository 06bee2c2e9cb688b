import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

import { FieldErrorDto } from '../../http/api-error.dto';

export class ImportQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Check everything and report, write nothing' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  public dryRun?: boolean;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'json' })
  @IsOptional()
  @IsIn(['csv', 'json'], { message: 'must be csv or json' })
  public format?: 'csv' | 'json';
}

export class ImportReportDto {
  @ApiProperty() public dryRun!: boolean;
  @ApiProperty() public rows!: number;
  @ApiProperty() public created!: number;
  @ApiProperty() public updated!: number;
  @ApiProperty({ type: [String] }) public groupsCreated!: string[];
}

export class RowErrorDto extends FieldErrorDto {
  @ApiProperty({ description: 'CSV: line in the file (header = 1); JSON: position in the array from 1' })
  public row!: number;

  @ApiProperty({ nullable: true, type: String, description: "The row's host name (null when the row has none)" })
  public host!: string | null;
}

export class ImportRejectedDto {
  @ApiProperty({ example: 422 }) public statusCode!: number;
  @ApiProperty() public error!: string;
  @ApiProperty() public message!: string;
  @ApiProperty({ type: [RowErrorDto] }) public errors!: RowErrorDto[];
}

export class ImportHostExampleDto {
  @ApiProperty({ example: 'esx-lyon-01' }) public name!: string;
  @ApiProperty({ example: '10.1.0.11' }) public address!: string;
  @ApiPropertyOptional() public sshPort?: number;
  @ApiPropertyOptional() public username?: string;
  @ApiPropertyOptional({ writeOnly: true }) public password?: string;
  @ApiPropertyOptional({ writeOnly: true }) public privateKey?: string;
  @ApiPropertyOptional() public hostKeyFingerprint?: string;
  @ApiPropertyOptional({ type: [String] }) public macAddresses?: string[];
  @ApiPropertyOptional() public wolBroadcast?: string;
  @ApiPropertyOptional() public wolPort?: number;
  @ApiPropertyOptional({ description: 'Group name (created when unknown)' }) public group?: string;
  @ApiPropertyOptional({ description: 'Policy name (must exist)' }) public policy?: string;
  @ApiPropertyOptional({ type: [String] }) public tags?: string[];
  @ApiPropertyOptional() public shutdownStage?: number;
  @ApiPropertyOptional() public restartWave?: number;
  @ApiPropertyOptional() public minSupplies?: number;
  @ApiPropertyOptional({ type: [String], example: ['ups1@nut-paris:1'] }) public feeds?: string[];
}
