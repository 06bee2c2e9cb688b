// What the repository's documents and comments point at must exist in the repository.
//
// In Markdown, a code span that is a repository path (`apps/…`, `libs/…`, `scripts/…`,
// `prisma/…`, `bench/…`, `docs/…`) names a file or folder that must exist; written
// `path/to/file.ts: Name, other.name`, each name must also appear (as a whole word) in that file.
// Relative links must lead to a file, and their #anchor to one of its headings.
// In comments, `docs/NUT.md, Quoting` cites a section: the document must have a heading with that
// text. Nothing may cite a document kept outside the repository.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const PATH_ROOTS = ['apps', 'libs', 'scripts', 'prisma', 'bench', 'docs'];
const PATH_SPAN = new RegExp(`^((?:${PATH_ROOTS.join('|')})/[\\w./-]*[\\w/])(?::\\s*(.*))?$`);
const SYMBOL = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.tmp', 'generated']);

/** Markdown without its fenced code blocks (diagrams and shell sessions are not references). */
function withoutFences(markdown) {
  const lines = markdown.split('\n');
  let fence = null;
  return lines.map((line) => {
    const opening = /^\s*(```+|~~~+)/.exec(line);
    if (fence === null && opening) {
      fence = opening[1][0];
      return '';
    }
    if (fence !== null) {
      if (line.trim().startsWith(fence.repeat(3))) fence = null;
      return '';
    }
    return line;
  });
}

/**
 * The repository paths a Markdown text names in code spans, with the symbols written after
 * `path: `. `line` is 1-based.
 */
export function pathReferences(markdown) {
  const found = [];
  withoutFences(markdown).forEach((text, index) => {
    for (const match of text.matchAll(/`([^`\n]+)`/g)) {
      const span = PATH_SPAN.exec(match[1].trim());
      if (span === null) continue;
      const symbols = span[2] === undefined || span[2].trim() === '' ? [] : span[2].split(',').map((s) => s.trim());
      found.push({ path: span[1].replace(/\/$/, ''), symbols, line: index + 1 });
    }
  });
  return found;
}

/** Relative link targets of a Markdown text (`[text](target)`), with their line. */
export function linkTargets(markdown) {
  const found = [];
  withoutFences(markdown).forEach((text, index) => {
    const unquoted = text.replace(/`[^`\n]*`/g, '');
    for (const match of unquoted.matchAll(/\[[^\]\n]*\]\(([^)\s]+)\)/g)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, mailto:
      found.push({ target, line: index + 1 });
    }
  });
  return found;
}

/** Heading texts of a Markdown document, code spans unwrapped. */
export function headingsOf(markdown) {
  return withoutFences(markdown)
    .map((line) => /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1])
    .filter((heading) => heading !== undefined)
    .map((heading) => heading.replace(/`/g, ''));
}

/** GitHub's anchor for a heading. */
export function headingAnchor(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function wholeWord(text, symbol) {
  const escaped = symbol.replace(/[.$]/g, (c) => `\\${c}`);
  return new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`).test(text);
}

/**
 * Problems with what one Markdown document (a path relative to `root`) points at: each names the
 * document, the line and what is missing.
 */
export function documentProblems(root, doc) {
  const markdown = readFileSync(join(root, doc), 'utf8');
  const problems = [];
  for (const ref of pathReferences(markdown)) {
    const where = `${doc}:${ref.line}`;
    const file = join(root, ref.path);
    if (!existsSync(file)) {
      problems.push(`${where}: ${ref.path} does not exist`);
      continue;
    }
    if (ref.symbols.length === 0) continue;
    if (statSync(file).isDirectory()) {
      problems.push(`${where}: ${ref.path} is a folder; names can only be looked up in a file`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const symbol of ref.symbols) {
      if (!SYMBOL.test(symbol)) problems.push(`${where}: "${symbol}" after ${ref.path} is not a name`);
      else if (!wholeWord(text, symbol)) problems.push(`${where}: ${ref.path} does not contain ${symbol}`);
    }
  }
  for (const { target, line } of linkTargets(markdown)) {
    const where = `${doc}:${line}`;
    const [path, anchor] = target.split('#');
    const file = path === '' ? join(root, doc) : join(root, dirname(doc), path);
    if (!existsSync(file)) {
      problems.push(`${where}: link ${target} leads to no file`);
      continue;
    }
    if (anchor === undefined || anchor === '' || !file.endsWith('.md')) continue;
    const anchors = headingsOf(readFileSync(file, 'utf8')).map(headingAnchor);
    if (!anchors.includes(anchor.toLowerCase())) problems.push(`${where}: link ${target}: no such heading`);
  }
  return problems;
}

/** Sections of repository documents cited in a text, e.g. "(docs/NUT.md, Quoting)". */
export function sectionCitations(text) {
  const found = [];
  text.split('\n').forEach((line, index) => {
    // The section runs to the first character a heading name here does not use: `)`, `.`, `:`...
    for (const match of line.matchAll(/\b(docs\/[\w.-]+\.md), ([A-Za-z][\w' -]*)/g)) {
      found.push({ doc: match[1], section: match[2].trim(), line: index + 1 });
    }
  });
  return found;
}

/** Citations of documents that are not in the repository. */
const OUTSIDE_DOCUMENTS = [
  [/\breference(?:'s)? (?:table )?\(?§/i, 'a section of a reference document kept elsewhere'],
  [/\bDESIGN(?:\.md| document)/, 'the design document kept elsewhere'],
  [/\/work\/shared|shared\/(?:reference|recipes|seeds)\b/, 'a path outside the repository'],
];

export function outsideDocumentProblems(text) {
  const found = [];
  text.split('\n').forEach((line, index) => {
    for (const [pattern, what] of OUTSIDE_DOCUMENTS) if (pattern.test(line)) found.push({ line: index + 1, what });
  });
  return found;
}

/** Files under `dir` (relative to `root`) whose name ends with one of `suffixes`. */
export function filesUnder(root, dir, suffixes) {
  const found = [];
  const walk = (path) => {
    for (const entry of readdirSync(join(root, path), { withFileTypes: true })) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const child = path === '' ? entry.name : `${path}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (suffixes.some((s) => entry.name.endsWith(s))) found.push(child);
    }
  };
  if (existsSync(join(root, dir))) walk(dir);
  return found.map((f) => f.split(sep).join('/'));
}

/** Problems with the sections `files` cite: a missing document or heading. */
export function citationProblems(root, files) {
  const problems = [];
  const headings = new Map();
  for (const file of files) {
    for (const { doc, section, line } of sectionCitations(readFileSync(join(root, file), 'utf8'))) {
      const where = `${relative(root, join(root, file))}:${line}`;
      if (!existsSync(join(root, doc))) {
        problems.push(`${where}: cites ${doc}, which does not exist`);
        continue;
      }
      if (!headings.has(doc)) headings.set(doc, headingsOf(readFileSync(join(root, doc), 'utf8')));
      if (!headings.get(doc).some((h) => h.toLowerCase() === section.toLowerCase()))
        problems.push(`${where}: cites "${section}" in ${doc}, which has no such heading`);
    }
  }
  return problems;
}
