import { normaliseKey } from './key-value-record.parser';
import { OutputParseError } from './output-parse-error';

/** One table row, cells looked up by column name without spaces and case. */
export type TableRow = ReadonlyMap<string, string>;

/**
 * Parses an esxcli table in either shape it comes in: the default one (header line, dashes
 * line, aligned columns) or `--formatter=csv` (header of field names, quoted cells, trailing
 * comma). Columns are found by name, so added or reordered columns do no harm.
 */
export function parseTable(text: string): TableRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const [header, second] = lines;
  if (header === undefined) return [];
  if (second !== undefined && /^[\s-]+$/.test(second) && second.includes('-'))
    return parseAligned(header, second, lines.slice(2));
  if (header.includes(',')) return parseCsv(lines);
  if (lines.length === 1) return [];
  throw new OutputParseError('neither an aligned table nor CSV');
}

function parseAligned(header: string, dashes: string, rows: string[]): TableRow[] {
  const spans = [...dashes.matchAll(/-+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const names = spans.map((span, i) =>
    normaliseKey(header.slice(span.start, spans[i + 1]?.start ?? header.length).trim()),
  );
  return rows.map((line) => {
    // Cells are separated by two or more spaces; when that yields the right count (no empty
    // cell) it survives slightly misaligned lines. Otherwise cut at the dash positions.
    const tokens = line.trim().split(/\s{2,}/);
    const cells =
      tokens.length === names.length
        ? tokens
        : spans.map((span, i) =>
            line.slice(span.start, i + 1 < spans.length ? (spans[i + 1]?.start ?? line.length) : line.length).trim(),
          );
    return new Map(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

function parseCsv(lines: string[]): TableRow[] {
  const [header, ...rows] = lines.map(splitCsvLine);
  const names = (header ?? []).map(normaliseKey);
  return rows.map(
    (cells) => new Map(names.flatMap((name, i) => (name === '' ? [] : [[name, cells[i] ?? ''] as const]))),
  );
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

export function cell(row: TableRow, column: string): string {
  return row.get(normaliseKey(column)) ?? '';
}

export function requireCell(row: TableRow, column: string): string {
  const value = row.get(normaliseKey(column));
  if (value === undefined) throw new OutputParseError(`column "${column}" is missing`);
  return value;
}
