import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';

import {
  citationProblems,
  documentProblems,
  filesUnder,
  headingAnchor,
  outsideDocumentProblems,
  pathReferences,
  sectionCitations,
} from './doc-references.mjs';
import { root } from './prepare.mjs';

/** Every Markdown document of the repository (README, docs/, the libraries' READMEs). */
const DOCUMENTS = ['README.md', ...filesUnder(root, 'docs', ['.md']), ...filesUnder(root, 'libs', ['README.md'])];
/** Where comments may cite documents: the product, its tests, benches and scripts. */
const SOURCES = ['apps', 'libs', 'bench', 'scripts', 'prisma']
  .flatMap((dir) => filesUnder(root, dir, ['.ts', '.mjs', '.sql', '.prisma']))
  // The checker and its examples.
  .filter((file) => !file.startsWith('scripts/lib/doc-references.'));

describe('the repository documents', () => {
  test('every file, folder and name they point at exists', () => {
    assert.ok(DOCUMENTS.includes('docs/ARCHITECTURE.md'), 'docs/ARCHITECTURE.md is missing');
    const problems = DOCUMENTS.flatMap((doc) => documentProblems(root, doc));
    assert.deepEqual(problems, [], 'fix the document (or the code it describes)');
  });

  test('each hop of the outage and restart paths names a file and what in it does the work', () => {
    const text = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
    for (const heading of ['The outage path', 'The restart path']) {
      const section = text.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
      assert.ok(section, `docs/ARCHITECTURE.md has no "## ${heading}"`);
      const hops = section.split('\n').filter((line) => /^\d+\. /.test(line));
      assert.ok(hops.length >= 8, `${heading}: only ${hops.length} numbered hops`);
      hops.forEach((hop, index) => {
        assert.match(hop, new RegExp(`^${index + 1}\\. `), `${heading}: hops must be numbered 1, 2, 3...`);
        assert.ok(
          pathReferences(hop).some((ref) => ref.symbols.length > 0),
          `${heading}, hop ${index + 1} names no \`file.ts: Name\`: ${hop}`,
        );
      });
    }
  });

  test('comments that cite a section of a document cite one it has', () => {
    assert.deepEqual(citationProblems(root, [...SOURCES, ...DOCUMENTS]), []);
  });

  test('nothing cites a document kept outside the repository', () => {
    const problems = [...SOURCES, ...DOCUMENTS, '.env.example', 'Dockerfile', 'docker-compose.yml']
      .filter((file) => existsSync(join(root, file)))
      .flatMap((file) =>
        outsideDocumentProblems(readFileSync(join(root, file), 'utf8')).map(
          ({ line, what }) => `${file}:${line}: ${what}`,
        ),
      );
    assert.deepEqual(problems, [], 'bring what is needed into docs/ and cite that');
  });
});

describe('the checker', () => {
  const fixture = mkdtempSync(join(tmpdir(), 'nutfleet-doc-refs-'));
  after(() => rmSync(fixture, { recursive: true, force: true }));
  const write = (path, text) => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };
  write('libs/a/src/thing.ts', 'export class Thing {}\nexport function makeThing() {}\nconst store = { writes: 1 };\n');
  write('docs/OTHER.md', '# Other\n\n## Quoting rules\n');

  test('reads paths and the names written after them, not commands or fenced blocks', () => {
    const refs = pathReferences(
      [
        '1. `libs/a/src/thing.ts: Thing, makeThing` then `libs/a` and `npm test -- libs/a`',
        '```',
        '`libs/in/a/fence.ts`',
        '```',
        '`apps/x.ts` and `notify.conf`',
      ].join('\n'),
    );
    assert.deepEqual(refs, [
      { path: 'libs/a/src/thing.ts', symbols: ['Thing', 'makeThing'], line: 1 },
      { path: 'libs/a', symbols: [], line: 1 },
      { path: 'apps/x.ts', symbols: [], line: 5 },
    ]);
  });

  test('names each wrong path, missing name and broken link', () => {
    write(
      'docs/ARCH.md',
      [
        '# Arch',
        '1. `libs/a/src/thing.ts: Thing, makeThing` is fine, so is `libs/a` and [other](OTHER.md#quoting-rules).',
        '2. `libs/a/src/thing.tss: Thing` is a typo.',
        '3. `libs/a/src/thing.ts: Thingy, Thing` names a class that is not there.',
        '4. `libs/a/src/thing.ts: writes.insert` names a method that is not there.',
        '5. `libs/a: Thing` looks a name up in a folder.',
        '6. [gone](GONE.md) and [no heading](OTHER.md#quoting) and [here](#arch).',
      ].join('\n'),
    );
    assert.deepEqual(documentProblems(fixture, 'docs/ARCH.md'), [
      'docs/ARCH.md:3: libs/a/src/thing.tss does not exist',
      'docs/ARCH.md:4: libs/a/src/thing.ts does not contain Thingy',
      'docs/ARCH.md:5: libs/a/src/thing.ts does not contain writes.insert',
      'docs/ARCH.md:6: libs/a is a folder; names can only be looked up in a file',
      'docs/ARCH.md:7: link GONE.md leads to no file',
      'docs/ARCH.md:7: link OTHER.md#quoting: no such heading',
    ]);
  });

  test('a section citation must match a heading of an existing document', () => {
    assert.deepEqual(sectionCitations('/** Quoting both ways (docs/OTHER.md, Quoting rules). */'), [
      { doc: 'docs/OTHER.md', section: 'Quoting rules', line: 1 },
    ]);
    write(
      'libs/a/src/cites.ts',
      [
        '// (docs/OTHER.md, Quoting rules) fine',
        '// docs/OTHER.md, quoting rules: fine, case aside',
        '// (docs/OTHER.md, Quoting) no such heading',
        '// (docs/GONE.md, Anything)',
      ].join('\n'),
    );
    assert.deepEqual(citationProblems(fixture, ['libs/a/src/cites.ts']), [
      'libs/a/src/cites.ts:3: cites "Quoting" in docs/OTHER.md, which has no such heading',
      'libs/a/src/cites.ts:4: cites docs/GONE.md, which does not exist',
    ]);
  });

  test('anchors are GitHub’s', () => {
    assert.equal(headingAnchor('upsmon semantics'), 'upsmon-semantics');
    assert.equal(headingAnchor('The `poweroff` path: hop 1'), 'the-poweroff-path-hop-1');
  });

  test('citations of documents kept elsewhere are found', () => {
    const found = outsideDocumentProblems(
      [
        '/** quoting (reference §1.2) */',
        '// The reference’s table',
        "// The reference's table (§1.4)",
        'The full design is in the DESIGN document.',
        'see /work/shared/reference/nut-protocol.md',
        'a character reference &#0; is not a citation',
      ].join('\n'),
    ).map((p) => p.line);
    assert.deepEqual(found, [1, 3, 4, 5]);
  });
});
