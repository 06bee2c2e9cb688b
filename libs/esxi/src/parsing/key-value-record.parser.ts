import { OutputParseError } from './output-parse-error';

/** One esxcli "Key: Value" record; keys are looked up without spaces and case (see `normaliseKey`). */
export class KeyValueRecord {
  /** Text of a non "Key: Value" first line (the VIB ID in `vib get`, the title of a result block). */
  readonly heading: string | undefined;
  private readonly values = new Map<string, string>();

  constructor(heading: string | undefined, entries: ReadonlyArray<readonly [string, string]>) {
    this.heading = heading;
    for (const [key, value] of entries) this.values.set(normaliseKey(key), value);
  }

  get(key: string): string | undefined {
    return this.values.get(normaliseKey(key));
  }

  require(key: string): string {
    const value = this.get(key);
    if (value === undefined) throw new OutputParseError(`field "${key}" is missing`);
    return value;
  }

  has(key: string): boolean {
    return this.values.has(normaliseKey(key));
  }
}

/** `Acceptance Level`, `AcceptanceLevel` and `acceptance_level` are the same field. */
export function normaliseKey(key: string): string {
  return key.replace(/[\s_]/g, '').toLowerCase();
}

// Keys are words (letters, digits, spaces, a few signs); the value is everything after the
// first colon, so "ReferenceURLs: kb|http://..." keeps its URL.
const KEY_VALUE = /^\s*([A-Za-z][A-Za-z0-9 ()/_.-]*?):(?:\s(.*))?$/;

/**
 * Parses esxcli's default output for single records and lists of records: indented
 * "Key: Value" lines, records separated by blank lines, optionally headed by a bare line.
 */
export function parseKeyValueRecords(text: string): KeyValueRecord[] {
  const records: KeyValueRecord[] = [];
  let heading: string | undefined;
  let entries: Array<[string, string]> = [];
  const keys = new Set<string>();
  const flush = (): void => {
    if (entries.length > 0 || heading !== undefined) records.push(new KeyValueRecord(heading, entries));
    heading = undefined;
    entries = [];
    keys.clear();
  };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+$/, '');
    if (line === '') {
      flush();
      continue;
    }
    const match = KEY_VALUE.exec(line);
    if (match?.[1] !== undefined) {
      const key = match[1].trim();
      const normalised = normaliseKey(key);
      // A repeated key without a blank line in between starts the next record.
      if (keys.has(normalised)) flush();
      keys.add(normalised);
      entries.push([key, (match[2] ?? '').trim()]);
    } else if (entries.length === 0 && heading === undefined) {
      heading = line.trim();
    } else {
      throw new OutputParseError(`unexpected line ${JSON.stringify(line)}`);
    }
  }
  flush();
  return records;
}

/** Exactly one record is expected. */
export function parseKeyValueRecord(text: string): KeyValueRecord {
  const records = parseKeyValueRecords(text);
  const [first] = records;
  if (first === undefined) throw new OutputParseError('empty output');
  if (records.length > 1) throw new OutputParseError(`expected one record, got ${records.length}`);
  return first;
}
