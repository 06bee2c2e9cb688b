import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shellQuote } from './shell-quote';

// What /bin/sh makes of the quoted line: each argument printed NUL-terminated, so one
// argument that splits or expands shows up as several or as different text.
function throughShell(argv: readonly string[]): string[] {
  const line = `printf '%s\\0' ${shellQuote(argv)}`;
  const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote through a real /bin/sh', () => {
  const hostile = [
    "it's",
    "''",
    '"double"',
    '$(touch /tmp/nutfleet-pwned)',
    '`id`',
    'a; rm -rf /',
    'x | cat',
    'a && b || c',
    'line1\nline2',
    '  spaces  around  ',
    'tab\there',
    'héllo wörld — ünïcødé ✓ 日本',
    '',
    '$HOME ${PATH} $1 $@',
    '*',
    '~root',
    '\\backslash\\',
    '-n',
    '#comment',
    'a\r\nb',
    "'\\''",
  ];

  it('delivers every hostile value as one literal argument through a real /bin/sh', () => {
    assert.deepEqual(throughShell(hostile), hostile);
  });

  it('keeps each value separate when they are passed one by one', () => {
    for (const value of hostile) assert.deepEqual(throughShell([value]), [value]);
  });
});
