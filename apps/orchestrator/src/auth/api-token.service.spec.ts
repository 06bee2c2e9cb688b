import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type PrismaService } from '@nutfleet/db';

import { type AuditService } from '../audit/audit.service';
import { generateApiToken, hashApiToken } from './api-token.codec';
import { ApiTokenService } from './api-token.service';
import { type EventStreams } from './event-streams';

interface Row {
  id: string;
  name: string;
  role: 'VIEWER' | 'OPERATOR' | 'ADMIN';
  tokenHash: string;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

const row = (tokenHash: string, role: Row['role'], expiresAt: Date | null = null): Row => ({
  id: 't1',
  name: 'ci',
  role,
  tokenHash,
  revokedAt: null,
  expiresAt,
});

/** An in-memory stand-in for the apiToken table whose lookups the test releases by hand. */
function fakeDatabase(stored: Row): {
  prisma: PrismaService;
  lookups: () => number;
  release: () => void;
} {
  const table = { ...stored, prefix: 'nf_abcdef', createdAt: new Date(), lastUsedAt: null };
  let lookups = 0;
  let held: (() => void)[] = [];
  const apiToken = {
    findUnique: ({ where }: { where: { tokenHash?: string; id?: string } }) => {
      if (where.id !== undefined) return Promise.resolve(where.id === table.id ? { ...table } : null);
      lookups++;
      const snapshot = where.tokenHash === table.tokenHash ? { ...table } : null;
      return new Promise((resolve) => held.push(() => resolve(snapshot)));
    },
    update: ({ data }: { data: Partial<Row> }) => {
      Object.assign(table, data);
      return Promise.resolve({ ...table });
    },
  };
  const prisma = {
    apiToken,
    $transaction: <T>(run: (tx: unknown) => Promise<T>) => run({ apiToken }),
  } as unknown as PrismaService;
  return {
    prisma,
    lookups: () => lookups,
    release: () => {
      const waiting = held;
      held = [];
      for (const go of waiting) go();
    },
  };
}

const audit = { record: () => Promise.resolve() } as unknown as AuditService;
const cutTokens: string[] = [];
const streams = { cutToken: (id: string) => cutTokens.push(id) } as unknown as EventStreams;
const ctx = { principal: null, requestId: 'r', ip: null } as never;

test('concurrent requests with one uncached token share one database lookup', async () => {
  const token = generateApiToken();
  const db = fakeDatabase(row(hashApiToken(token), 'VIEWER'));
  const service = new ApiTokenService(db.prisma, audit, streams);
  const all = Promise.all(Array.from({ length: 50 }, () => service.authenticate(token)));
  db.release();
  const results = await all;
  assert.equal(db.lookups(), 1);
  assert.ok(results.every((r) => r.ok && r.principal.tokenName === 'ci' && r.principal.role === 'viewer'));
  assert.equal((await service.authenticate(token)).ok, true);
  assert.equal(db.lookups(), 1, 'then served from memory');

  const unknown = generateApiToken();
  const misses = Promise.all([service.authenticate(unknown), service.authenticate(unknown)]);
  db.release();
  assert.deepEqual(await misses, [
    { ok: false, reason: 'unknown' },
    { ok: false, reason: 'unknown' },
  ]);
  assert.equal(db.lookups(), 2);
});

test('a lookup that started before a revocation through this replica is not trusted afterwards', async () => {
  const token = generateApiToken();
  const db = fakeDatabase(row(hashApiToken(token), 'ADMIN'));
  const service = new ApiTokenService(db.prisma, audit, streams);
  const before = service.authenticate(token); // reads the row while it is still valid...
  await service.revoke('t1', ctx); // ...and the token is revoked before that read returns
  db.release();
  assert.equal((await before).ok, true, 'the request that was already being authenticated');
  const after = service.authenticate(token);
  db.release();
  assert.deepEqual(await after, { ok: false, reason: 'revoked' });
  assert.equal(db.lookups(), 2, 'the result read before the revocation was not cached');
  assert.ok(cutTokens.includes('t1'), "the revoked token's open event streams were cut");
});

test('expiry is checked on every request, cached or not', async () => {
  const token = generateApiToken();
  const expiresAt = new Date(Date.now() + 2000);
  const db = fakeDatabase(row(hashApiToken(token), 'VIEWER', expiresAt));
  const service = new ApiTokenService(db.prisma, audit, streams);
  const first = service.authenticate(token);
  db.release();
  assert.equal((await first).ok, true);
  assert.deepEqual(await service.authenticate(token, expiresAt.getTime()), { ok: false, reason: 'expired' });
  assert.equal(db.lookups(), 1, 'from memory');
  const later = service.authenticate(token, expiresAt.getTime() + 60_000);
  db.release();
  assert.deepEqual(await later, { ok: false, reason: 'expired' });
  assert.equal(db.lookups(), 2, 'from the database');
});
