import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CsvSyntaxError, formatCsv, parseCsv } from './csv';

test('parses quotes, doubled quotes, CRLF, embedded newlines, BOM, and skips blank lines', () => {
  const text = '\uFEFFa,b,c\r\n1,"x, ""y""",\r\n\r\n2,"multi\nline",z\n';
  assert.deepEqual(parseCsv(text), [
    { line: 1, cells: ['a', 'b', 'c'] },
    { line: 2, cells: ['1', 'x, "y"', ''] },
    { line: 4, cells: ['2', 'multi\nline', 'z'] },
  ]);
});

test('syntax errors name the line', () => {
  assert.throws(
    () => parseCsv('a\n"open'),
    (e: unknown) => e instanceof CsvSyntaxError && e.line === 2,
  );
  assert.throws(() => parseCsv('a\nx"y'), CsvSyntaxError);
  assert.throws(() => parseCsv('a\n"x"y'), CsvSyntaxError);
});

test('format then parse is the identity', () => {
  const rows = [['esx,1', 'say "hi"', ' padded ', 'multi\nline', '']];
  const parsed = parseCsv(formatCsv(['a', 'b', 'c', 'd', 'e'], rows));
  assert.deepEqual(
    parsed.map((r) => r.cells),
    [['a', 'b', 'c', 'd', 'e'], ...rows],
  );
});
