import assert from 'node:assert/strict';
import { test } from 'node:test';

import { jsonNestsDeeperThan } from './json-depth';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

test('counts nesting of arrays and objects, not their number', () => {
  assert.equal(jsonNestsDeeperThan(bytes('{"a":[1,{"b":[]}]}'), 4), false);
  assert.equal(jsonNestsDeeperThan(bytes('{"a":[1,{"b":[]}]}'), 3), true);
  assert.equal(jsonNestsDeeperThan(bytes(`[${'[],'.repeat(10_000)}[]]`), 2), false);
  assert.equal(jsonNestsDeeperThan(bytes('['.repeat(5000) + ']'.repeat(5000)), 64), true);
});

test('brackets inside strings, escaped quotes included, do not count', () => {
  assert.equal(jsonNestsDeeperThan(bytes(`{"a":"${'[{'.repeat(100)}"}`), 1), false);
  assert.equal(jsonNestsDeeperThan(bytes('{"a":"\\"[[[[","b":1}'), 1), false);
  assert.equal(
    jsonNestsDeeperThan(bytes('{"a":"\\\\","b":[[1]]}'), 2),
    true,
    'an escaped backslash ends before the quote',
  );
});

test('malformed text is left to the parser', () => {
  assert.equal(jsonNestsDeeperThan(bytes(']]]]{'), 64), false);
  assert.equal(jsonNestsDeeperThan(bytes('"unterminated [[['), 1), false);
});
