import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

import { IntRange } from '../common/int-field';
import { NAME_PATTERN, NAME_RULE, TAG_PATTERN, TAG_RULE } from '../common/network-rules';
import { IsHostAddress, IsIPv4Address, IsMacAddress, IsPrivateKeyText, IsSshFingerprint } from '../common/validators';
import { MAX_FEEDS } from '../hosts/host.dto';

/** `ups@server` or `ups@server:powerValue`. */
export const FEED_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}@[^@\s:]{1,253}(:\d{1,3})?$/;

/** Columns of the CSV / keys of the JSON import and export, in order. */
export const HOST_COLUMNS = [
  'name',
  'address',
  'sshPort',
  'username',
  'hostKeyFingerprint',
  'macAddresses',
  'wolBroadcast',
  'wolPort',
  'group',
  'policy',
  'tags',
  'shutdownStage',
  'restartWave',
  'minSupplies',
  'feeds',
] as const;
/** Accepted on import, never exported. */
export const SECRET_COLUMNS = ['password', 'privateKey'] as const;
/** Cells holding `;`-separated lists in CSV (arrays in JSON). */
export const LIST_COLUMNS = new Set(['macAddresses', 'tags', 'feeds']);
export const INT_COLUMNS = new Set(['sshPort', 'wolPort', 'shutdownStage', 'restartWave', 'minSupplies']);

/** One imported host; group and policy by name, feeds by UPS address. */
export class ImportHostRow {
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public name!: string;

  @IsString()
  @MaxLength(253)
  @IsHostAddress()
  public address!: string;

  @IsOptional()
  @IntRange(1, 65535)
  public sshPort?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' })
  public username?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  public password?: string;

  @IsOptional()
  @IsString()
  @MaxLength(16_384)
  @IsPrivateKeyText()
  public privateKey?: string;

  @IsOptional()
  @IsString()
  @IsSshFingerprint()
  public hostKeyFingerprint?: string;

  @IsOptional()
  @IsArray({ message: 'must be a list of MAC addresses' })
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @IsMacAddress()
  public macAddresses?: string[];

  @IsOptional()
  @IsString()
  @IsIPv4Address()
  public wolBroadcast?: string;

  @IsOptional()
  @IntRange(1, 65535)
  public wolPort?: number;

  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public group?: string;

  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  public policy?: string;

  @IsOptional()
  @IsArray({ message: 'must be a list of tags' })
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @Matches(TAG_PATTERN, { each: true, message: `each ${TAG_RULE}` })
  public tags?: string[];

  @IsOptional()
  @IntRange(0, 1000)
  public shutdownStage?: number;

  @IsOptional()
  @IntRange(0, 1000)
  public restartWave?: number;

  @IsOptional()
  @IntRange(0, 100)
  public minSupplies?: number;

  @IsOptional()
  @IsArray({ message: 'must be a list of ups@server:powerValue' })
  @ArrayMaxSize(MAX_FEEDS)
  @IsString({ each: true })
  @Matches(FEED_PATTERN, { each: true, message: 'each must be ups@server or ups@server:powerValue' })
  public feeds?: string[];
}

/** A CSV record as the plain object the JSON form would have been: lists split, integers read. */
export function csvCellsToObject(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const raw = (cells[i] ?? '').trim();
    if (raw === '') return;
    if (LIST_COLUMNS.has(column))
      out[column] = raw
        .split(';')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    else if (INT_COLUMNS.has(column) && /^-?\d{1,15}$/.test(raw)) out[column] = Number(raw);
    else out[column] = column === 'privateKey' ? (cells[i] ?? '') : raw;
  });
  return out;
}

export function parseFeed(value: string): { ups: string; powerValue: number } {
  const match = /^(.*@[^:]+)(?::(\d+))?$/.exec(value);
  return { ups: match?.[1] ?? value, powerValue: match?.[2] ? Number(match[2]) : 1 };
}
