import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dueRehearsalGroups } from './rehearsal-schedule';

const HOUR = 3_600_000;
const groups = [{ id: 'lab' }, { id: 'edge' }, { id: 'new' }];
const last = new Map([
  ['lab', 10 * HOUR],
  ['edge', 12 * HOUR],
]);

test('a group is rehearsed when never rehearsed or once a whole interval has passed since its last rehearsal', () => {
  assert.deepEqual(
    dueRehearsalGroups(groups, last, 2 * HOUR, 12 * HOUR).map((g) => g.id),
    ['lab', 'new'],
  );
  assert.deepEqual(
    dueRehearsalGroups(groups, last, 2 * HOUR, 12 * HOUR - 1).map((g) => g.id),
    ['new'],
  );
});

test('no interval, no scheduled rehearsal', () => {
  assert.deepEqual(dueRehearsalGroups(groups, new Map(), 0, 12 * HOUR), []);
});
