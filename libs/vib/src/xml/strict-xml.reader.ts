/**
 * A tiny, strict XML reader for VIB metadata (descriptor.xml, bulletins, vmware.xml): elements,
 * attributes, the five predefined entities and numeric character references, CDATA, comments and
 * processing instructions. It refuses DOCTYPE (no entity expansion, so no billion-laughs), unknown
 * entities, mismatched tags and anything after the root element: metadata that a strict
 * reader cannot read is metadata we should not trust.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated character data directly inside this element (entities decoded, CDATA included). */
  readonly text: string;
}

export class XmlSyntaxError extends Error {
  constructor(
    readonly detail: string,
    /** 1-based line and column where the reader gave up. */
    readonly line: number,
    readonly column: number,
  ) {
    super(`XML syntax error at line ${line}, column ${column}: ${detail}`);
    this.name = 'XmlSyntaxError';
  }
}

export interface XmlReadLimits {
  /** Deepest element nesting accepted. Default 64. */
  readonly maxDepth?: number;
  /** Most elements accepted. Default 100,000. */
  readonly maxElements?: number;
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface MutableElement {
  name: string;
  attributes: Record<string, string>;
  children: MutableElement[];
  text: string;
}

class Cursor {
  pos = 0;
  constructor(readonly src: string) {}

  fail(detail: string, at = this.pos): never {
    const before = this.src.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new XmlSyntaxError(detail, line, column);
  }

  startsWith(token: string): boolean {
    return this.src.startsWith(token, this.pos);
  }

  expect(token: string): void {
    if (!this.startsWith(token)) this.fail(`expected "${token}"`);
    this.pos += token.length;
  }

  skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  /** Moves past `end`, returning what was before it. */
  until(end: string, what: string): string {
    const at = this.src.indexOf(end, this.pos);
    if (at < 0) this.fail(`unterminated ${what}`);
    const content = this.src.slice(this.pos, at);
    this.pos = at + end.length;
    return content;
  }

  name(): string {
    const start = this.pos;
    if (!NAME_START.test(this.src[this.pos] ?? '')) this.fail('expected a name');
    while (this.pos < this.src.length && NAME_CHAR.test(this.src[this.pos] ?? '')) this.pos++;
    return this.src.slice(start, this.pos);
  }
}

function decodeText(cursor: Cursor, raw: string, offset: number): string {
  if (raw.includes('<')) cursor.fail('"<" is not allowed here', offset + raw.indexOf('<'));
  return raw.replace(/&([^;\s&<]*);?/g, (match, ref: string, at: number) => {
    if (!match.endsWith(';')) cursor.fail('"&" must start an entity such as &amp;', offset + at);
    if (ref.startsWith('#')) {
      const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref)
        ? parseInt(ref.slice(2), 16)
        : /^#[0-9]{1,7}$/.test(ref)
          ? parseInt(ref.slice(1), 10)
          : NaN;
      const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff);
      if (!allowed || (code >= 0xd800 && code <= 0xdfff)) cursor.fail(`invalid character reference &${ref};`);
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[ref];
    if (value === undefined) cursor.fail(`unknown entity &${ref};`, offset + at);
    return value;
  });
}

/** Skips the prolog or epilogue: whitespace, comments, processing instructions. */
function skipMisc(cursor: Cursor): void {
  for (;;) {
    cursor.skipSpace();
    if (cursor.startsWith('<!--')) {
      cursor.pos += 4;
      cursor.until('-->', 'comment');
    } else if (cursor.startsWith('<?')) {
      cursor.pos += 2;
      cursor.until('?>', 'processing instruction');
    } else if (cursor.startsWith('<!DOCTYPE')) {
      cursor.fail('DOCTYPE is not accepted (no custom entities)');
    } else return;
  }
}

function readAttributes(cursor: Cursor, element: MutableElement): boolean {
  for (;;) {
    const hadSpace = /\s/.test(cursor.src[cursor.pos] ?? '');
    cursor.skipSpace();
    if (cursor.startsWith('/>')) {
      cursor.pos += 2;
      return true;
    }
    if (cursor.startsWith('>')) {
      cursor.pos += 1;
      return false;
    }
    if (!hadSpace) cursor.fail('expected whitespace between attributes');
    const name = cursor.name();
    cursor.skipSpace();
    cursor.expect('=');
    cursor.skipSpace();
    const quote = cursor.src[cursor.pos];
    if (quote !== '"' && quote !== "'") cursor.fail('attribute value must be quoted');
    cursor.pos++;
    const start = cursor.pos;
    const raw = cursor.until(quote, 'attribute value');
    if (Object.prototype.hasOwnProperty.call(element.attributes, name)) cursor.fail(`duplicate attribute "${name}"`);
    element.attributes[name] = decodeText(cursor, raw, start);
  }
}

/** Parses a whole document and returns its root element. */
export function readXml(source: string, limits: XmlReadLimits = {}): XmlElement {
  const maxDepth = limits.maxDepth ?? 64;
  const maxElements = limits.maxElements ?? 100_000;
  const cursor = new Cursor(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
  let elements = 0;
  skipMisc(cursor);
  if (!cursor.startsWith('<')) cursor.fail('expected the root element');

  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  while (root === undefined || stack.length > 0) {
    const parent = stack[stack.length - 1];
    if (cursor.pos >= cursor.src.length) cursor.fail(`unexpected end of document inside <${parent?.name ?? '?'}>`);
    if (cursor.startsWith('<![CDATA[')) {
      if (!parent) return cursor.fail('CDATA outside the root element');
      cursor.pos += 9;
      parent.text += cursor.until(']]>', 'CDATA section');
    } else if (cursor.startsWith('<!--')) {
      cursor.pos += 4;
      const comment = cursor.until('-->', 'comment');
      if (comment.includes('--')) cursor.fail('"--" inside a comment');
    } else if (cursor.startsWith('<?')) {
      cursor.pos += 2;
      cursor.until('?>', 'processing instruction');
    } else if (cursor.startsWith('<!')) {
      cursor.fail('declarations are not accepted inside the document');
    } else if (cursor.startsWith('</')) {
      cursor.pos += 2;
      const name = cursor.name();
      cursor.skipSpace();
      cursor.expect('>');
      const open = stack.pop();
      if (!open || open.name !== name) cursor.fail(`closing tag </${name}> does not match <${open?.name ?? ''}>`);
    } else if (cursor.startsWith('<')) {
      cursor.pos += 1;
      if (++elements > maxElements) cursor.fail(`more than ${maxElements} elements`);
      const element: MutableElement = { name: cursor.name(), attributes: {}, children: [], text: '' };
      const selfClosing = readAttributes(cursor, element);
      if (parent) parent.children.push(element);
      else if (root === undefined) root = element;
      else cursor.fail('content after the root element');
      if (!selfClosing) {
        if (stack.length >= maxDepth) cursor.fail(`elements nested deeper than ${maxDepth}`);
        stack.push(element);
      }
    } else {
      const start = cursor.pos;
      const next = cursor.src.indexOf('<', cursor.pos);
      const raw = cursor.src.slice(cursor.pos, next < 0 ? cursor.src.length : next);
      cursor.pos += raw.length;
      if (!parent) {
        if (raw.trim() !== '') cursor.fail('text outside the root element', start);
      } else parent.text += decodeText(cursor, raw, start);
    }
  }
  skipMisc(cursor);
  if (cursor.pos < cursor.src.length) cursor.fail('content after the root element');
  return root;
}

// ---- navigation helpers ------------------------------------------------------------------

export function childElement(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  return parent?.children.find((c) => c.name === name);
}

export function childElements(parent: XmlElement | undefined, name: string): XmlElement[] {
  return parent ? parent.children.filter((c) => c.name === name) : [];
}

/** Trimmed text of a direct child, or undefined when there is no such child. */
export function childText(parent: XmlElement | undefined, name: string): string | undefined {
  return childElement(parent, name)?.text.trim();
}
