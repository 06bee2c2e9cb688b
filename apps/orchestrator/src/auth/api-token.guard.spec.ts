import assert from 'node:assert/strict';
import { test } from 'node:test';

import { requiredRole } from './api-token.guard';

test('undeclared routes: viewer to read, admin to change (fail closed)', () => {
  assert.equal(requiredRole(undefined, 'GET'), 'viewer');
  assert.equal(requiredRole(undefined, 'head'), 'viewer');
  assert.equal(requiredRole(undefined, 'POST'), 'admin');
  assert.equal(requiredRole(undefined, 'DELETE'), 'admin');
  assert.equal(requiredRole('operator', 'POST'), 'operator');
});
