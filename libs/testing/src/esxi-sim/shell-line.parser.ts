/**
 * Parses the command line carried by an SSH exec request the way ESXi's busybox `sh -c` would
 * split it into words, without ever executing anything. Expansions a real shell would perform
 * (`$(...)`, backticks, `$VAR`) are reported so tests can prove a client never let one through:
 * the simulator substitutes an empty string, as a shell with no such variable would.
 */
export type ShellOperator = ';' | '&&' | '||' | '|' | '&';

export interface ShellRedirection {
  /** File descriptor being redirected (1 = stdout, 2 = stderr). */
  fd: number;
  /** `&1`, `&2` or a path such as `/dev/null`. */
  target: string;
  append: boolean;
}

export interface SimpleShellCommand {
  argv: string[];
  redirections: ShellRedirection[];
  /** Operator that joins this command to the next one, if any. */
  next?: ShellOperator;
}

export interface ParsedShellLine {
  commands: SimpleShellCommand[];
  /** Unquoted or double-quoted expansions a real shell would have interpreted. */
  expansions: string[];
  /** Set when quotes are left open; a real shell answers with a syntax error. */
  syntaxError?: string;
}

const OPERATOR_CHARS = new Set([';', '&', '|']);

class LineScanner {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
}

/** Reads a `$(...)` / `${...}` group starting at `$`, honouring nesting and quotes. */
function readDollarGroup(s: LineScanner): string {
  const start = s.pos;
  const open = s.peek(1);
  const close = open === '(' ? ')' : '}';
  s.pos += 2;
  let depth = 1;
  while (!s.done && depth > 0) {
    const c = s.peek();
    if (c === '\\') s.pos += 2;
    else if (c === "'") {
      const end = s.text.indexOf("'", s.pos + 1);
      s.pos = end < 0 ? s.text.length : end + 1;
    } else {
      if (c === open) depth++;
      else if (c === close) depth--;
      s.pos++;
    }
  }
  return s.text.slice(start, s.pos);
}

function readBacktick(s: LineScanner): string {
  const start = s.pos;
  s.pos++;
  while (!s.done && s.peek() !== '`') s.pos += s.peek() === '\\' ? 2 : 1;
  s.pos++;
  return s.text.slice(start, Math.min(s.pos, s.text.length));
}

/** Tries to read an expansion at the cursor; returns its source text or undefined. */
function readExpansion(s: LineScanner): string | undefined {
  const c = s.peek();
  if (c === '`') return readBacktick(s);
  if (c !== '$') return undefined;
  const n = s.peek(1);
  if (n === '(' || n === '{') return readDollarGroup(s);
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9#?$!@*-])/.exec(s.text.slice(s.pos));
  if (!m) return undefined;
  s.pos += m[0].length;
  return m[0];
}

export function parseShellLine(line: string): ParsedShellLine {
  const s = new LineScanner(line);
  const commands: SimpleShellCommand[] = [];
  const expansions: string[] = [];
  let argv: string[] = [];
  let redirections: ShellRedirection[] = [];
  let word = '';
  let inWord = false;
  let pendingRedirect: { fd: number; append: boolean } | undefined;

  const endWord = (): void => {
    if (!inWord) return;
    if (pendingRedirect) {
      redirections.push({ ...pendingRedirect, target: word });
      pendingRedirect = undefined;
    } else argv.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (next?: ShellOperator): void => {
    endWord();
    if (argv.length > 0 || redirections.length > 0) commands.push({ argv, redirections, ...(next ? { next } : {}) });
    argv = [];
    redirections = [];
  };

  while (!s.done) {
    const c = s.peek();
    if (c === ' ' || c === '\t') {
      endWord();
      s.pos++;
    } else if (c === '\n') {
      endCommand(';');
      s.pos++;
    } else if (c === '#' && !inWord) {
      const nl = s.text.indexOf('\n', s.pos);
      s.pos = nl < 0 ? s.text.length : nl;
    } else if (c === '\\') {
      const n = s.peek(1);
      s.pos += 2;
      if (n === '\n') continue;
      word += n;
      inWord = true;
    } else if (c === "'") {
      const end = s.text.indexOf("'", s.pos + 1);
      if (end < 0) return { commands, expansions, syntaxError: 'Unterminated quoted string' };
      word += s.text.slice(s.pos + 1, end);
      inWord = true;
      s.pos = end + 1;
    } else if (c === '"') {
      s.pos++;
      inWord = true;
      let closed = false;
      while (!s.done) {
        const d = s.peek();
        if (d === '"') {
          closed = true;
          s.pos++;
          break;
        }
        if (d === '\\' && ['$', '`', '"', '\\', '\n'].includes(s.peek(1))) {
          if (s.peek(1) !== '\n') word += s.peek(1);
          s.pos += 2;
          continue;
        }
        const expansion = readExpansion(s);
        if (expansion !== undefined) {
          expansions.push(expansion);
          continue;
        }
        word += d;
        s.pos++;
      }
      if (!closed) return { commands, expansions, syntaxError: 'Unterminated quoted string' };
    } else if (OPERATOR_CHARS.has(c)) {
      const two = c + s.peek(1);
      if (two === '&&' || two === '||') {
        endCommand(two);
        s.pos += 2;
      } else {
        endCommand(c as ShellOperator);
        s.pos++;
      }
    } else if ((c === '>' || c === '<') && (!inWord || /^[0-9]$/.test(word))) {
      const fd = inWord ? Number(word) : c === '<' ? 0 : 1;
      word = '';
      inWord = false;
      s.pos++;
      const append = s.peek() === '>';
      if (append) s.pos++;
      if (s.peek() === '&') {
        s.pos++;
        const m = /^[0-9-]/.exec(s.peek());
        redirections.push({ fd, target: `&${m ? m[0] : ''}`, append });
        if (m) s.pos++;
      } else pendingRedirect = { fd, append };
      while (s.peek() === ' ' || s.peek() === '\t') s.pos++;
    } else {
      const expansion = readExpansion(s);
      if (expansion !== undefined) {
        // Unquoted and empty after substitution: the word vanishes, as in a real shell.
        expansions.push(expansion);
        continue;
      }
      word += c;
      inWord = true;
      s.pos++;
    }
  }
  endCommand();
  return { commands, expansions };
}
