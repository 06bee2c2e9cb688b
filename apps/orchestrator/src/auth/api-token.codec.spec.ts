import assert from 'node:assert/strict';
import { test } from 'node:test';

import { generateApiToken, hashApiToken, looksLikeApiToken, parseBearer, recognitionPrefix } from './api-token.codec';

test('tokens are random, recognisable and hashed to 64 hex characters', () => {
  const a = generateApiToken();
  const b = generateApiToken();
  assert.notEqual(a, b);
  assert.ok(looksLikeApiToken(a));
  assert.match(hashApiToken(a), /^[0-9a-f]{64}$/);
  assert.equal(recognitionPrefix(a).length, 9);
  assert.ok(!looksLikeApiToken(`${a}x`));
});

test('parseBearer accepts only "Bearer <token>"', () => {
  assert.deepEqual(parseBearer(undefined), { ok: false, reason: 'missing' });
  assert.deepEqual(parseBearer(''), { ok: false, reason: 'missing' });
  assert.deepEqual(parseBearer('Basic abc'), { ok: false, reason: 'malformed' });
  assert.deepEqual(parseBearer('Bearer'), { ok: false, reason: 'malformed' });
  assert.deepEqual(parseBearer('Bearer a b'), { ok: false, reason: 'malformed' });
  assert.deepEqual(parseBearer('bearer tok'), { ok: true, token: 'tok' });
});
