import { OutputParseError } from '../parsing/output-parse-error';

export interface VmSummary {
  readonly id: number;
  /** As vim-cmd printed it, line breaks included; surrounding spaces cannot be told from padding. */
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

/**
 * The VM list could not be read without guessing: a row that never completes, two readings of one
 * row, a VM id listed twice. Thrown instead of returning a shorter list, so the caller records
 * "VMs unknown" and never "no VMs".
 */
export class VmListParseError extends OutputParseError {
  override readonly name: string = 'VmListParseError';
  constructor(
    message: string,
    /** 1-based line of the output where the problem is. */
    readonly lineNumber: number,
  ) {
    super(`${message} (line ${lineNumber} of vim-cmd vmsvc/getallvms)`);
  }
}

const HEADER = /^\s*vmid\s+name\s/i;
const INVALID_VM = /^Skipping invalid VM '(\d+)'/i;
/** A line that may start a VM row: the id in the first column. */
const HEAD = /^(\d+)(?:\s+|$)/;
/**
 * The part of a row after the name, tried at each whitespace that precedes a '[': the datastore in
 * brackets, the path (relative: never starts with a space, a bracket or a slash), the guest id and the hardware
 * version (always "vmx-NN"), then the annotation or the end of the line.
 */
const TAIL = /\s\[([^\]\n]+)\] ?([^\s[/][^\n]*?\.vmx)[ \t]+(\S+)[ \t]+(vmx-\d+)(?=[ \t]|$)/y;

interface Block {
  /** 0-based index of its first line in the output. */
  readonly start: number;
  readonly lines: string[];
}

/**
 * `vim-cmd vmsvc/getallvms`. vimsh prints each VM as one padded row — id, name, "[datastore]
 * path.vmx", guest id, hardware version, annotation — and prints names and annotations as they
 * are, line breaks included. So a row starts at a line whose first column is an id and ends at the
 * first line that completes "[datastore] path.vmx  guest  vmx-NN": the lines in between belong to
 * the name (a VM named "web\nfront" spans two lines); lines after it, up to the next row, continue
 * the annotation.
 *
 * A line of annotation that starts with a number is told from a row by the name column, which is
 * the same for every row (ids are padded to one width): a "number" line whose text starts left of
 * that column is annotation. What cannot be told apart is refused with `VmListParseError`
 * (a row with no "[datastore] path.vmx  guest  vmx-NN" part, two possible readings, an id twice):
 * never a silently shorter or longer list.
 */
export function parseGetAllVms(text: string): VmInventory {
  const lines = text.split(/\r?\n/).map((line) => line.replace(/\s+$/, ''));
  const invalidVmIds: number[] = [];
  const headerAt = lines.findIndex((line) => HEADER.test(line));
  for (const [i, line] of lines.entries()) {
    if (headerAt >= 0 && i >= headerAt) break;
    const invalid = INVALID_VM.exec(line.trim());
    if (invalid?.[1] !== undefined) invalidVmIds.push(Number(invalid[1]));
    else if (line.trim() !== '') {
      if (headerAt < 0) throw new OutputParseError('no getallvms header');
      throw new VmListParseError(`unexpected text before the header: ${JSON.stringify(line)}`, i + 1);
    }
  }
  if (headerAt < 0) return { vms: [], invalidVmIds };

  const nameColumn = commonNameColumn(lines.slice(headerAt + 1));
  const blocks: Block[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const invalid = INVALID_VM.exec(line.trim());
    if (invalid?.[1] !== undefined) {
      invalidVmIds.push(Number(invalid[1]));
      continue;
    }
    if (startsRow(line, nameColumn)) blocks.push({ start: i, lines: [line] });
    else if (blocks.length > 0) blocks[blocks.length - 1]?.lines.push(line);
    else if (line.trim() !== '')
      throw new VmListParseError(`unexpected text before the first VM: ${JSON.stringify(line)}`, i + 1);
  }

  const vms = blocks.map(readRow);
  const seen = new Map<number, number>();
  for (const [i, vm] of vms.entries()) {
    const first = seen.get(vm.id);
    if (first !== undefined)
      throw new VmListParseError(
        `VM id ${vm.id} is listed twice (lines ${first + 1} and ${(blocks[i]?.start ?? 0) + 1})`,
        (blocks[i]?.start ?? 0) + 1,
      );
    seen.set(vm.id, blocks[i]?.start ?? 0);
  }
  return { vms, invalidVmIds };
}

/**
 * The column where names start on rows that fit on one line, when they all agree; undefined when
 * there is no such row or they differ (then every "number" line is taken for a row start).
 */
function commonNameColumn(lines: readonly string[]): number | undefined {
  const columns = new Set<number>();
  for (const line of lines) {
    const head = HEAD.exec(line);
    if (!head || head[0].length === line.length) continue;
    if (tailCandidates(line.slice(head[0].length)).length === 1) columns.add(head[0].length);
  }
  return columns.size === 1 ? [...columns][0] : undefined;
}

function startsRow(line: string, nameColumn: number | undefined): boolean {
  const head = HEAD.exec(line);
  if (!head) return false;
  if (nameColumn === undefined) return true;
  // A longer id pushes its name right; text starting left of the names' column is not a row.
  return head[0].length >= nameColumn || head[0].length === line.length;
}

interface TailCandidate {
  /** Offset of the whitespace before '[' in the text after the id. */
  readonly at: number;
  readonly end: number;
  readonly datastore: string;
  readonly path: string;
  readonly guestOs: string;
  readonly version: string;
}

function tailCandidates(rest: string): TailCandidate[] {
  const found: Array<TailCandidate & { readonly padding: number }> = [];
  for (let at = rest.indexOf('['); at >= 0; at = rest.indexOf('[', at + 1)) {
    if (at === 0) continue;
    TAIL.lastIndex = at - 1;
    const m = TAIL.exec(rest);
    const name = rest.slice(0, at - 1).trim();
    if (!m || name === '') continue;
    const path = m[2] ?? '';
    found.push({
      at: at - 1,
      end: TAIL.lastIndex,
      datastore: m[1] ?? '',
      path,
      guestOs: m[3] ?? '',
      version: m[4] ?? '',
      padding: paddingRuns(name) + paddingRuns(path),
    });
  }
  // Columns are padded with runs of spaces, which names and paths practically never hold: a
  // reading whose name or path holds such a run took a bracket inside the name, the path or the
  // annotation for the start of the file column. The readings with the fewest runs remain.
  const fewest = Math.min(...found.map((c) => c.padding));
  return found.filter((c) => c.padding === fewest);
}

function paddingRuns(text: string): number {
  return text.match(/[ \t]{2,}/g)?.length ?? 0;
}

function readRow(block: Block): VmSummary {
  const head = HEAD.exec(block.lines[0] ?? '');
  const lineNumber = block.start + 1;
  if (!head?.[1]) throw new VmListParseError('a VM row without an id', lineNumber);
  const id = Number(head[1]);
  for (let last = 0; last < block.lines.length; last++) {
    const rest = block.lines
      .slice(0, last + 1)
      .join('\n')
      .slice(head[0].length);
    // The name may span lines; the tail is complete on the line where it ends.
    const candidates = tailCandidates(rest).filter((c) => !rest.slice(c.end).includes('\n'));
    if (candidates.length === 0) continue;
    if (candidates.length > 1)
      throw new VmListParseError(
        `VM ${id}: its row can be read ${candidates.length} ways (a name containing "[...] ... .vmx"?)`,
        lineNumber,
      );
    const tail = candidates[0] as TailCandidate;
    const annotation = [rest.slice(tail.end).replace(/^[ \t]+/, ''), ...block.lines.slice(last + 1)]
      .join('\n')
      .replace(/\s+$/, '');
    return {
      id,
      name: rest.slice(0, tail.at).trim(),
      file: `[${tail.datastore}] ${tail.path}`,
      datastore: tail.datastore,
      guestOs: tail.guestOs,
      version: tail.version,
      annotation,
    };
  }
  throw new VmListParseError(
    `VM ${id}: no "[datastore] path.vmx  guest  vmx-NN" part follows its id ${JSON.stringify(block.lines[0])}; ` +
      'a name or an annotation that vim-cmd printed over several lines cannot be told from a row',
    lineNumber,
  );
}
