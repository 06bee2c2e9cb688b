import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

import { TlsMode } from '@nutfleet/db';

import { PageQueryDto } from '../../http/pagination';
import { IntRange } from '../common/int-field';
import { NAME_PATTERN, NAME_RULE } from '../common/network-rules';
import { IsCertificateFingerprint, IsHostAddress, IsPemCertificate } from '../common/validators';

export class CreateNutServerDto {
  @ApiProperty({ example: 'nut-paris' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public name!: string;

  @ApiProperty({ example: '10.0.0.5', description: 'Address of upsd' })
  @IsString()
  @IsHostAddress()
  public host!: string;

  @ApiPropertyOptional({ default: 3493 })
  @IsOptional()
  @IntRange(1, 65535)
  public port?: number;

  @ApiPropertyOptional({ enum: TlsMode, default: TlsMode.OFF })
  @IsOptional()
  @IsEnum(TlsMode, { message: `must be one of ${Object.values(TlsMode).join(', ')}` })
  public tlsMode?: TlsMode;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'PEM of the CA signing the server certificate' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(20_000)
  @IsPemCertificate()
  public tlsCaPem?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'SHA-256 of the server certificate (pin)' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @IsCertificateFingerprint()
  public tlsFingerprint?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'monuser' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[^\s"\\]+$/, { message: 'must not contain spaces, quotes or backslashes' })
  public username?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    writeOnly: true,
    description:
      'Write-only, admin only; null clears it. Bound to host, port and TLS settings: changing one of them clears it unless it is sent again.',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  public password?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'nutfleet-cycle',
    description:
      'The account UPS power cycles use: `instcmds` and `actions = SET` in upsd.users, kept apart from the monitoring account',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[^\s"\\]+$/, { message: 'must not contain spaces, quotes or backslashes' })
  public commandUsername?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    writeOnly: true,
    description:
      'Password of commandUsername. Write-only, admin only; null clears it. Bound to host, port and TLS settings like `password`.',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  public commandPassword?: string | null;
}

export class UpdateNutServerDto extends PartialType(CreateNutServerDto) {}

export class NutServerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Substring of name or host' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  public q?: string;
}

export class NutServerDto {
  @ApiProperty() public id!: string;
  @ApiProperty() public name!: string;
  @ApiProperty() public host!: string;
  @ApiProperty() public port!: number;
  @ApiProperty({ enum: TlsMode }) public tlsMode!: TlsMode;
  @ApiProperty({ nullable: true, type: String }) public tlsCaPem!: string | null;
  @ApiProperty({ nullable: true, type: String }) public tlsFingerprint!: string | null;
  @ApiProperty({ nullable: true, type: String }) public username!: string | null;
  @ApiProperty({
    description:
      'A password is stored (it is never returned). Changing host, port or any TLS setting clears it unless the same request sets it again (admin only).',
  })
  public hasPassword!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'The INSTCMD/SET account for UPS power cycles' })
  public commandUsername!: string | null;
  @ApiProperty({
    description:
      'A password for commandUsername is stored (never returned); it is cleared like `password` when the target changes',
  })
  public hasCommandPassword!: boolean;
  @ApiProperty({
    type: [String],
    description: 'How the password travels, when it deserves attention (e.g. in clear text with tlsMode OFF)',
  })
  public warnings!: string[];
  @ApiProperty() public createdAt!: string;
  @ApiProperty() public updatedAt!: string;
}

export class NutServerPageDto {
  @ApiProperty({ type: [NutServerDto] }) public items!: NutServerDto[];
  @ApiProperty({ nullable: true, type: String }) public nextCursor!: string | null;
}
