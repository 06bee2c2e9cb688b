import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isDatabaseUnavailableError } from './database-unavailable';
import { Prisma } from './generated/prisma/client';

function known(code: string, meta?: Record<string, unknown>): Prisma.PrismaClientKnownRequestError {
  return new Prisma.PrismaClientKnownRequestError('x', { code, clientVersion: '6.19', ...(meta ? { meta } : {}) });
}

const adapterKind = (kind: string): Record<string, unknown> => ({
  driverAdapterError: { name: 'DriverAdapterError', cause: { kind } },
});

test('outages, exhausted pools and conflicts count as unavailable (503)', () => {
  const unavailable: unknown[] = [
    known('P1001'),
    known('P2024'),
    known('P2028'),
    known('P2034'),
    known('P2010', adapterKind('DatabaseNotReachable')),
    known('P2010', adapterKind('TooManyConnections')),
    new Prisma.PrismaClientInitializationError('cannot connect', '6.19'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    new Error('wrapped', { cause: new Error('timeout exceeded when trying to connect') }),
  ];
  for (const error of unavailable) assert.equal(isDatabaseUnavailableError(error), true, String(error));
});

test("a request's own fault or a bug is not", () => {
  const others: unknown[] = [
    known('P2002'),
    known('P2025'),
    known('P2010', adapterKind('UniqueConstraintViolation')),
    new Prisma.PrismaClientValidationError('bad', { clientVersion: '6.19' }),
    Object.assign(new Error('duplicate key'), { code: '23505' }),
    new TypeError('x is undefined'),
    new Error('timeout exceeded when trying to connect to the moon'),
    'a string',
    null,
  ];
  for (const error of others) assert.equal(isDatabaseUnavailableError(error), false, String(error));
});
