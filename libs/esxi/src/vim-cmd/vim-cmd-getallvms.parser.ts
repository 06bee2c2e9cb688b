import { OutputParseError } from '../parsing/output-parse-error';

export interface VmSummary {
  readonly id: number;
  readonly name: string;
  /** "[datastore1] nutsrv/nutsrv.vmx" */
  readonly file: string;
  readonly datastore: string;
  readonly guestOs: string;
  /** e.g. "vmx-19" */
  readonly version: string;
  /** May span several lines; "" when empty. */
  readonly annotation: string;
}

export interface VmInventory {
  readonly vms: readonly VmSummary[];
  /** IDs vim-cmd reported as "Skipping invalid VM 'N'" (orphaned or inaccessible). */
  readonly invalidVmIds: readonly number[];
}

// Columns are not aligned with the header on real hosts, so rows are recognised by shape:
// id, name (may hold spaces and brackets), "[datastore] path.vmx", guest id, hardware version,
// annotation. Columns are padded, so the file column normally follows two or more spaces: that
// reading wins over a bracket inside the name; the single-space one is the fallback.
const VM_ROW_PADDED = /^(\d+)\s+(.+?)\s{2,}\[([^\]]+)\]\s*(.+?\.vmx)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/i;
const VM_ROW_TIGHT = /^(\d+)\s+(.+?)\s+\[([^\]]+)\]\s*(.+?\.vmx)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/i;
const INVALID_VM = /^Skipping invalid VM '(\d+)'/i;

/** `vim-cmd vmsvc/getallvms`. Lines that are not a VM row continue the previous annotation. */
export function parseGetAllVms(text: string): VmInventory {
  const vms: Array<{ -readonly [K in keyof VmSummary]: VmSummary[K] }> = [];
  const invalidVmIds: number[] = [];
  const lines = text.split(/\r?\n/);
  let sawHeader = false;
  for (const rawLine of lines) {
    const line = rawLine.replace(/\s+$/, '');
    const invalid = INVALID_VM.exec(line.trim());
    if (invalid?.[1] !== undefined) {
      invalidVmIds.push(Number(invalid[1]));
      continue;
    }
    if (!sawHeader && /^\s*vmid\s+name\s/i.test(line)) {
      sawHeader = true;
      continue;
    }
    const row = VM_ROW_PADDED.exec(line) ?? VM_ROW_TIGHT.exec(line);
    if (row) {
      const [, id, name, datastore, path, guestOs, version, annotation] = row;
      vms.push({
        id: Number(id),
        name: name ?? '',
        file: `[${datastore ?? ''}] ${path ?? ''}`,
        datastore: datastore ?? '',
        guestOs: guestOs ?? '',
        version: version ?? '',
        annotation: annotation ?? '',
      });
      continue;
    }
    const previous = vms[vms.length - 1];
    if (previous)
      previous.annotation = previous.annotation === '' && line === '' ? '' : `${previous.annotation}\n${rawLine}`;
    else if (line.trim() !== '') throw new OutputParseError(`unexpected line before any VM: ${JSON.stringify(line)}`);
  }
  if (!sawHeader && vms.length === 0 && invalidVmIds.length === 0 && text.trim() !== '')
    throw new OutputParseError('no getallvms header');
  return { vms: vms.map((vm) => ({ ...vm, annotation: vm.annotation.replace(/\s+$/, '') })), invalidVmIds };
}
