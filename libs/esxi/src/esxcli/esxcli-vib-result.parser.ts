import { parseKeyValueRecords } from '../parsing/key-value-record.parser';
import { OutputParseError } from '../parsing/output-parse-error';
import { parseBool, splitList } from './esxcli-vib-get.parser';

/** The "Installation Result" / "Removal Result" block of `software vib install|update|remove`. */
export interface VibOperationResult {
  readonly message: string;
  readonly rebootRequired: boolean;
  readonly vibsInstalled: readonly string[];
  readonly vibsRemoved: readonly string[];
  readonly vibsSkipped: readonly string[];
}

export function parseVibOperationResult(text: string): VibOperationResult {
  const record = parseKeyValueRecords(text).find((r) => r.has('Message'));
  if (record === undefined) throw new OutputParseError('no result block with a Message line');
  const rebootRequired = parseBool(record.require('Reboot Required'));
  if (rebootRequired === undefined) throw new OutputParseError('Reboot Required is empty');
  return {
    message: record.require('Message'),
    rebootRequired,
    vibsInstalled: splitList(record.get('VIBs Installed')),
    vibsRemoved: splitList(record.get('VIBs Removed')),
    vibsSkipped: splitList(record.get('VIBs Skipped')),
  };
}
