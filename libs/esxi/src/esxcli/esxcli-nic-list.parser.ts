import { OutputParseError } from '../parsing/output-parse-error';
import { cell, parseTable, requireCell } from '../parsing/table.parser';

export interface PhysicalNic {
  /** e.g. "vmnic0" */
  readonly name: string;
  readonly pciDevice: string;
  readonly driver: string;
  readonly adminStatus: string;
  readonly linkStatus: string;
  readonly speedMbps: number | undefined;
  readonly duplex: string;
  /** Lower-case, colon separated: what Wake-on-LAN needs. */
  readonly macAddress: string;
  readonly mtu: number | undefined;
  readonly description: string;
}

/** `esxcli --formatter=csv network nic list`; the default aligned table is accepted too. */
export function parseNicList(text: string): PhysicalNic[] {
  return parseTable(text).map((row) => {
    const mac = requireCell(row, 'MAC Address').toLowerCase();
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac))
      throw new OutputParseError(`not a MAC address: ${JSON.stringify(mac)}`);
    return {
      name: requireCell(row, 'Name'),
      pciDevice: cell(row, 'PCI Device'),
      driver: cell(row, 'Driver'),
      adminStatus: cell(row, 'Admin Status'),
      linkStatus: cell(row, 'Link Status'),
      speedMbps: optionalInt(cell(row, 'Speed')),
      duplex: cell(row, 'Duplex'),
      macAddress: mac,
      mtu: optionalInt(cell(row, 'MTU')),
      description: cell(row, 'Description'),
    };
  });
}

function optionalInt(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}
