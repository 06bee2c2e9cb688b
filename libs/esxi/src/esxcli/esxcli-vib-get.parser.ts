import { parseKeyValueRecord } from '../parsing/key-value-record.parser';
import { OutputParseError } from '../parsing/output-parse-error';

export interface VibDetails {
  /** e.g. "Margar_bootbank_upsmon_2.8.5-2.7.3" */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly vendor: string;
  readonly type: string | undefined;
  readonly acceptanceLevel: string;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly creationDate: string | undefined;
  readonly maintenanceModeRequired: boolean | undefined;
  readonly liveInstallAllowed: boolean | undefined;
  readonly liveRemoveAllowed: boolean | undefined;
  readonly statelessReady: boolean | undefined;
  readonly tags: readonly string[];
  readonly payloads: readonly string[];
}

/** `esxcli software vib get -n NAME`: the VIB ID on its own line, then "Key: Value" lines. */
export function parseVibGet(text: string): VibDetails {
  const record = parseKeyValueRecord(text);
  const name = record.require('Name');
  const version = record.require('Version');
  const vendor = record.require('Vendor');
  const id = record.heading ?? record.get('ID');
  if (id === undefined) throw new OutputParseError('the VIB ID line is missing');
  return {
    id,
    name,
    version,
    vendor,
    type: record.get('Type') || undefined,
    acceptanceLevel: record.require('Acceptance Level'),
    summary: record.get('Summary') || undefined,
    description: record.get('Description') || undefined,
    creationDate: record.get('Creation Date') || undefined,
    maintenanceModeRequired: parseBool(record.get('Maintenance Mode Required')),
    liveInstallAllowed: parseBool(record.get('Live Install Allowed')),
    liveRemoveAllowed: parseBool(record.get('Live Remove Allowed')),
    statelessReady: parseBool(record.get('Stateless Ready')),
    tags: splitList(record.get('Tags')),
    payloads: splitList(record.get('Payloads')),
  };
}

export function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(true|yes)$/i.test(value)) return true;
  if (/^(false|no)$/i.test(value)) return false;
  throw new OutputParseError(`not a boolean: ${JSON.stringify(value)}`);
}

/** esxcli prints lists as "a, b, c" (some builds without the space). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[,\s]+/).filter((item) => item !== '');
}
