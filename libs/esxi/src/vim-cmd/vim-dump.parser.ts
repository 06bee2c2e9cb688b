import { OutputParseError } from '../parsing/output-parse-error';

/** A value of vimsh's object dump: `(type) { field = value, ... }`, `[ ... ]`, scalars. */
export type VimValue = string | number | boolean | null | VimObject | readonly VimValue[];

export interface VimObject {
  /** The `(vim.Xxx)` tag in front of the braces, when printed. */
  readonly type: string | undefined;
  readonly fields: Readonly<Record<string, VimValue>>;
}

export function isVimObject(value: VimValue | undefined): value is VimObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Token =
  | { readonly kind: 'punct'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'word'; readonly text: string };

/**
 * Parses the first dump in vim-cmd's output (text before it, such as "Retrieved runtime
 * info", is skipped). Tolerates trailing commas, either quote style and extra spaces.
 */
export function parseVimDump(text: string): VimValue {
  const start = text.search(/[([{]/);
  if (start < 0) throw new OutputParseError('no object dump in the output');
  const tokens = tokenize(text.slice(start));
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (token === undefined) throw new OutputParseError('the object dump ends too early');
    return token;
  };
  const expect = (text: string): void => {
    const token = next();
    if (token.kind !== 'punct' || token.text !== text)
      throw new OutputParseError(`expected "${text}", got "${token.text}"`);
  };
  const isPunct = (token: Token | undefined, text: string): boolean => token?.kind === 'punct' && token.text === text;

  const value = (): VimValue => {
    let type: string | undefined;
    if (isPunct(peek(), '(')) {
      next();
      type = next().text;
      expect(')');
    }
    const token = peek();
    if (isPunct(token, '{')) return object(type);
    if (isPunct(token, '[')) return array();
    const scalar = next();
    if (scalar.kind === 'string') return scalar.text;
    if (scalar.kind === 'punct') throw new OutputParseError(`unexpected "${scalar.text}"`);
    if (/^-?\d+(\.\d+)?$/.test(scalar.text)) return Number(scalar.text);
    if (scalar.text === 'true' || scalar.text === 'false') return scalar.text === 'true';
    if (scalar.text === 'null' || scalar.text === '<unset>') return null;
    return scalar.text;
  };
  const object = (type: string | undefined): VimObject => {
    expect('{');
    const fields: Record<string, VimValue> = {};
    while (!isPunct(peek(), '}')) {
      const name = next();
      if (name.kind !== 'word') throw new OutputParseError(`expected a field name, got "${name.text}"`);
      expect('=');
      fields[name.text] = value();
      if (isPunct(peek(), ',')) next();
    }
    expect('}');
    return { type, fields };
  };
  const array = (): VimValue[] => {
    expect('[');
    const items: VimValue[] = [];
    while (!isPunct(peek(), ']')) {
      items.push(value());
      if (isPunct(peek(), ',')) next();
    }
    expect(']');
    return items;
  };
  return value();
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
    } else if ('(){}[]=,'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch });
      i += 1;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i += 1;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\' && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (i >= text.length) throw new OutputParseError('unterminated string in the object dump');
      i += 1;
      tokens.push({ kind: 'string', text: value });
    } else {
      const word = /^[^\s(){}[\]=,"']+/.exec(text.slice(i))?.[0] ?? ch;
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}
