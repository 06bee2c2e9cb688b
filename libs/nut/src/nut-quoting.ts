/**
 * NUT "parseconf" quoting, both directions (docs/NUT.md, Quoting).
 *
 * Encoding always quotes user-supplied arguments: upsd accepts quoted words everywhere, and
 * quoting is the only way to send empty values or values with spaces. Control and non-ASCII
 * characters are refused rather than sent, because upsd silently drops them and the server
 * would act on a different value than the caller asked for.
 */
import { NutArgumentError, NutProtocolError } from './nut-errors';

/** A request: fixed keywords sent bare (`GET VAR`) and user arguments sent quoted. */
export interface NutCommand {
  readonly keywords: readonly string[];
  readonly args?: readonly string[];
  /** Indexes of `args` that must never appear in error messages or logs (passwords). */
  readonly secretArgs?: readonly number[];
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Quotes one argument: `"` + value with `\`, `"` and `#` backslash-escaped + `"`. */
export function encodeNutArgument(value: string): string {
  if (!PRINTABLE_ASCII.test(value)) {
    throw new NutArgumentError(
      `argument ${JSON.stringify(value)} contains control or non-ASCII characters, which upsd would drop`,
    );
  }
  return `"${value.replace(/[\\"#]/g, (ch) => `\\${ch}`)}"`;
}

/** The full request line, newline included. */
export function encodeNutCommand(command: NutCommand): string {
  for (const keyword of command.keywords) {
    if (!/^[A-Z]+$/.test(keyword)) throw new NutArgumentError(`invalid keyword ${JSON.stringify(keyword)}`);
  }
  const words = [...command.keywords, ...(command.args ?? []).map(encodeNutArgument)];
  return `${words.join(' ')}\n`;
}

/** The request as it may appear in logs and errors: secrets replaced by `"***"`. */
export function describeNutCommand(command: NutCommand): string {
  const secret = new Set(command.secretArgs ?? []);
  const args = (command.args ?? []).map((arg, index) => (secret.has(index) ? '"***"' : JSON.stringify(arg)));
  return [...command.keywords, ...args].join(' ');
}

/**
 * Splits a reply line into words with the same state machine upsd uses: whitespace separates,
 * `"…"` groups (and may be empty), a backslash makes the next character literal, an unquoted
 * `#` starts a comment. Throws NutProtocolError on an unterminated quote or a dangling backslash,
 * which a well-behaved upsd never produces.
 */
export function tokenizeNutLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let inQuotes = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line.charAt(i);
    if (ch === '\\') {
      if (i + 1 >= line.length) throw new NutProtocolError('dangling backslash in reply', line);
      i += 1;
      word += line.charAt(i);
      inWord = true;
    } else if (inQuotes) {
      if (ch === '"') inQuotes = false;
      else word += ch;
    } else if (ch === '"') {
      inQuotes = true;
      inWord = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (ch === '#') {
      break;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inQuotes) throw new NutProtocolError('unterminated quote in reply', line);
  if (inWord) words.push(word);
  return words;
}
