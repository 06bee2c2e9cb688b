/**
 * Pure parsers for single reply lines and LIST rows. They throw NutProtocolError on anything
 * that is not the exact shape the protocol specifies, so a confused stream is noticed at once.
 */
import { NutProtocolError } from './nut-errors';
import { tokenizeNutLine } from './nut-quoting';

export interface NutErrReply {
  code: string;
  extra: string[];
}

/** `ERR <code> [extra…]` → its parts; anything else → undefined. */
export function parseErrReply(line: string): NutErrReply | undefined {
  if (line !== 'ERR' && !line.startsWith('ERR ') && !line.startsWith('ERR\t')) return undefined;
  let words: string[];
  try {
    words = tokenizeNutLine(line);
  } catch {
    // The extra text is free-form; a broken quote there must not hide the code.
    words = line.split(/[ \t]+/);
  }
  const code = words[1];
  if (code === undefined || code === '') throw new NutProtocolError('ERR reply without a code', line);
  return { code, extra: words.slice(2) };
}

/** Case-insensitive comparison, as upsd looks up UPS and variable names case-insensitively. */
export function sameNutName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Checks that `words` start with `expected` (case-insensitive) and have exactly `arity` words. */
export function expectWords(line: string, words: readonly string[], expected: readonly string[], arity: number): void {
  if (words.length !== arity || expected.some((word, index) => !sameNutName(words[index] ?? '', word))) {
    throw new NutProtocolError(`unexpected reply (expected ${expected.join(' ')} …)`, line);
  }
}

/** A reply whose meaning is "OK": `OK`, or `OK <detail>` (e.g. `OK MASTER-GRANTED`). Returns the detail words. */
export function parseOkReply(line: string): string[] {
  const words = tokenizeNutLine(line);
  if (words[0] !== 'OK') throw new NutProtocolError('expected OK', line);
  return words.slice(1);
}

/** `GET <kind> <ups> <name>` replies: `<kind> <ups> <name> "<value>"` → value. */
export function parseNamedValueReply(line: string, kind: string, ups: string, name: string): string {
  const words = tokenizeNutLine(line);
  expectWords(line, words, [kind, ups, name], 4);
  return words[3] ?? '';
}

/** `<kind> <ups> "<value>"` (UPSDESC, NUMLOGINS) → value. */
export function parseUpsValueReply(line: string, kind: string, ups: string): string {
  const words = tokenizeNutLine(line);
  expectWords(line, words, [kind, ups], 3);
  return words[2] ?? '';
}

/** Parses a non-negative decimal integer strictly. */
export function parseNutInteger(text: string, line: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new NutProtocolError('expected an integer', line);
  return Number(text);
}

/** The type of a variable as described by `GET TYPE`. */
export interface NutVarType {
  /** Writable with SET VAR. */
  rw: boolean;
  /** Has an ENUM list of allowed values. */
  enum: boolean;
  /** Has RANGE limits. */
  range: boolean;
  /** `STRING` (with maxLength), `NUMBER`, or another word a newer server might send. */
  kind: 'STRING' | 'NUMBER' | 'UNKNOWN';
  /** For `STRING:<n>`. */
  maxLength: number | null;
  /** Every type word as sent. */
  words: string[];
}

/** `TYPE <ups> <var> [RW] [ENUM] [RANGE] (STRING:<n>|NUMBER)` → NutVarType. */
export function parseTypeReply(line: string, ups: string, name: string): NutVarType {
  const words = tokenizeNutLine(line);
  if (words.length < 4) throw new NutProtocolError('unexpected TYPE reply', line);
  expectWords(line, words.slice(0, 3), ['TYPE', ups, name], 3);
  const typeWords = words.slice(3);
  let kind: NutVarType['kind'] = 'UNKNOWN';
  let maxLength: number | null = null;
  for (const word of typeWords) {
    if (word === 'NUMBER') kind = 'NUMBER';
    const stringType = /^STRING:(\d{1,6})$/.exec(word);
    if (stringType?.[1] !== undefined) {
      kind = 'STRING';
      maxLength = Number(stringType[1]);
    } else if (word === 'STRING') {
      kind = 'STRING';
    }
  }
  return {
    rw: typeWords.includes('RW'),
    enum: typeWords.includes('ENUM'),
    range: typeWords.includes('RANGE'),
    kind,
    maxLength,
    words: typeWords,
  };
}

/** Result of `GET TRACKING <id>`. `ERR UNKNOWN|FAILED|INVALID-ARGUMENT` are results here, not errors. */
export type NutTrackingStatus = 'PENDING' | 'SUCCESS' | 'UNKNOWN' | 'FAILED' | 'INVALID-ARGUMENT';

export function parseTrackingStatusReply(line: string): NutTrackingStatus {
  if (line === 'PENDING' || line === 'SUCCESS') return line;
  const err = parseErrReply(line);
  if (err !== undefined && (err.code === 'UNKNOWN' || err.code === 'FAILED' || err.code === 'INVALID-ARGUMENT'))
    return err.code;
  throw new NutProtocolError('unexpected TRACKING reply', line);
}

/** `ON` / `OFF` of `GET TRACKING`. */
export function parseOnOffReply(line: string): boolean {
  if (line === 'ON') return true;
  if (line === 'OFF') return false;
  throw new NutProtocolError('expected ON or OFF', line);
}

/** Reply to SET VAR / INSTCMD: `OK` or `OK TRACKING <id>`. */
export interface NutCommandAck {
  /** The tracking id when TRACKING is on for this connection, to poll with `getTracking`. */
  trackingId: string | null;
}

export function parseCommandAck(line: string): NutCommandAck {
  const detail = parseOkReply(line);
  if (detail.length === 0) return { trackingId: null };
  if (detail.length === 2 && detail[0] === 'TRACKING' && detail[1] !== undefined && detail[1] !== '')
    return { trackingId: detail[1] };
  throw new NutProtocolError('unexpected reply to SET/INSTCMD', line);
}

/** A reply that is a bare version word (`1.3`). */
export function parseVersionReply(line: string): string {
  const words = tokenizeNutLine(line);
  if (words.length !== 1 || !/^\d+(\.\d+)*$/.test(words[0] ?? ''))
    throw new NutProtocolError('expected a protocol version', line);
  return words[0] ?? '';
}

// ---- LIST rows (tokens already split; `list` is the echoed query, e.g. ['VAR', 'ups1']) ----

export interface NutUpsInfo {
  name: string;
  description: string;
}

export interface NutRange {
  min: number;
  max: number;
}

function rowError(words: readonly string[]): NutProtocolError {
  return new NutProtocolError('unexpected LIST row', words.join(' '));
}

/** Checks a row is `<type> <echo…> <n more words>` and returns the extra words. */
export function listRowValues(
  words: readonly string[],
  type: string,
  echo: readonly string[],
  valueCount: number,
): string[] {
  const head = [type, ...echo];
  if (words.length !== head.length + valueCount || head.some((word, index) => !sameNutName(words[index] ?? '', word)))
    throw rowError(words);
  return words.slice(head.length);
}

export function parseUpsRow(words: readonly string[]): NutUpsInfo {
  const [name, description] = listRowValues(words, 'UPS', [], 2);
  return { name: name ?? '', description: description ?? '' };
}

export function parseRangeRow(words: readonly string[], ups: string, name: string): NutRange {
  const [min, max] = listRowValues(words, 'RANGE', [ups, name], 2);
  const line = words.join(' ');
  const parse = (text: string | undefined): number => {
    const value = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isFinite(value))
      throw new NutProtocolError('RANGE bound is not a number', line);
    return value;
  };
  return { min: parse(min), max: parse(max) };
}
