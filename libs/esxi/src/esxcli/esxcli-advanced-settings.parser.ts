import { type KeyValueRecord, parseKeyValueRecords } from '../parsing/key-value-record.parser';

export interface AdvancedOption {
  /** e.g. "/UserVars/NutFinalDelay" */
  readonly path: string;
  /** "integer" or "string" (others exist for system options). */
  readonly type: string;
  readonly intValue: number | undefined;
  readonly defaultIntValue: number | undefined;
  readonly minValue: number | undefined;
  readonly maxValue: number | undefined;
  readonly stringValue: string | undefined;
  readonly defaultStringValue: string | undefined;
  readonly description: string;
}

/** `esxcli system settings advanced list [-o PATH]`: one "Key: Value" record per option. */
export function parseAdvancedOptions(text: string): AdvancedOption[] {
  return parseKeyValueRecords(text).map(toOption);
}

function toOption(record: KeyValueRecord): AdvancedOption {
  const type = record.require('Type');
  const isInt = /^int/i.test(type);
  return {
    path: record.require('Path'),
    type,
    intValue: isInt ? optionalInt(record.get('Int Value')) : undefined,
    defaultIntValue: isInt ? optionalInt(record.get('Default Int Value')) : undefined,
    minValue: isInt ? optionalInt(record.get('Min Value')) : undefined,
    maxValue: isInt ? optionalInt(record.get('Max Value')) : undefined,
    // An empty "String Value:" on a string option is an empty string, not a missing value.
    stringValue: isInt ? undefined : (record.get('String Value') ?? undefined),
    defaultStringValue: isInt ? undefined : (record.get('Default String Value') ?? undefined),
    description: record.get('Description') ?? '',
  };
}

function optionalInt(value: string | undefined): number | undefined {
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}
