import { cell, parseTable, requireCell } from '../parsing/table.parser';

export interface VibSummary {
  readonly name: string;
  readonly version: string;
  readonly vendor: string;
  /** e.g. "CommunitySupported" */
  readonly acceptanceLevel: string;
  /** "YYYY-MM-DD", or undefined when ESXi prints none. */
  readonly installDate: string | undefined;
}

/** `esxcli --formatter=csv software vib list`; the default aligned table is accepted too. */
export function parseVibList(text: string): VibSummary[] {
  return parseTable(text).map((row) => ({
    name: requireCell(row, 'Name'),
    version: requireCell(row, 'Version'),
    vendor: cell(row, 'Vendor'),
    acceptanceLevel: cell(row, 'Acceptance Level'),
    installDate: cell(row, 'Install Date') || undefined,
  }));
}
