import { parseKeyValueRecord } from '../parsing/key-value-record.parser';
import { OutputParseError } from '../parsing/output-parse-error';

export interface EsxiVersion {
  /** "VMware ESXi" */
  readonly product: string;
  /** e.g. "8.0.3" */
  readonly version: string;
  /** e.g. "Releasebuild-24022510" */
  readonly build: string;
  /** The number in `build`, e.g. 24022510. */
  readonly buildNumber: number | undefined;
  readonly update: number | undefined;
  readonly patch: number | undefined;
}

/** `esxcli system version get` (default output: "Key: Value" lines). */
export function parseSystemVersion(text: string): EsxiVersion {
  const record = parseKeyValueRecord(text);
  const version = record.require('Version');
  if (!/^\d+\.\d+(\.\d+)?$/.test(version))
    throw new OutputParseError(`unrecognised version ${JSON.stringify(version)}`);
  const build = record.require('Build');
  return {
    product: record.require('Product'),
    version,
    build,
    buildNumber: optionalInt(/(\d+)\s*$/.exec(build)?.[1]),
    update: optionalInt(record.get('Update')),
    patch: optionalInt(record.get('Patch')),
  };
}

function optionalInt(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
