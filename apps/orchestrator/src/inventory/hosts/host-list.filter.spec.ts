import assert from 'node:assert/strict';
import { test } from 'node:test';

import { hostListWhere, likeContains } from './host-list.filter';

test('no filter, no WHERE', () => {
  assert.equal(hostListWhere({}).sql, '');
});

test('every filter is a bound parameter, joined with AND', () => {
  const where = hostListWhere({ group: "g'; DROP TABLE", tag: 'lab', stage: 2, q: '50%_x', afterName: 'esx-09' });
  assert.equal(
    where.sql,
    'WHERE g.name = ? AND h.tags @> ARRAY[?]::text[] AND h."shutdownStage" = ? AND (h.name ILIKE ? OR h.address ILIKE ?) AND h.name > ?',
  );
  assert.deepEqual(where.values, ["g'; DROP TABLE", 'lab', 2, '%50\\%\\_x%', '%50\\%\\_x%', 'esx-09']);
});

test('likeContains escapes LIKE wildcards', () => {
  assert.equal(likeContains('a_b%c\\'), '%a\\_b\\%c\\\\%');
});
