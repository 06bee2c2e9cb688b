import { Prisma } from './generated/prisma/client';

/** Prisma codes that mean "the database could not serve this now", not "this request is wrong". */
const UNAVAILABLE_PRISMA_CODES = new Set([
  'P1001', // can't reach database server
  'P1002', // reached but timed out
  'P1008', // operations timed out
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error: could not start in time, or expired while waiting
  'P2034', // write conflict or deadlock: try again
]);

/** Driver-adapter error kinds (adapter-pg) with the same meaning. */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
  'TransactionAlreadyClosed',
]);

/** Socket errors of the pg driver itself (raw SQL paths). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * PostgreSQL SQLSTATEs: 08 connection exception, 53 insufficient resources, 57P01-57P03
 * shutdown / cannot connect now, 40001/40P01 serialization failure / deadlock.
 */
const SQLSTATE = /^(08...|53...|57P0[123]|40001|40P01)$/;

/** pg-pool's own messages when no connection can be had. */
const POOL_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated( unexpectedly| due to connection timeout)?)$/;

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/**
 * True when `error` says the database is unreachable, overloaded or its pool exhausted — a
 * condition that passes, answered 503 with Retry-After — rather than a fault of the request or
 * the code. Looks through `cause` chains (Prisma wraps the driver's error).
 */
export function isDatabaseUnavailableError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNAVAILABLE_PRISMA_CODES.has(error.code)) return true;
    const kind = field(field(field(error.meta, 'driverAdapterError'), 'cause'), 'kind');
    if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
  }
  const kind = field(field(error, 'cause'), 'kind');
  if (field(error, 'name') === 'DriverAdapterError' && typeof kind === 'string')
    return UNAVAILABLE_ADAPTER_KINDS.has(kind);
  const code = field(error, 'code');
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true;
  const message = field(error, 'message');
  if (typeof message === 'string' && POOL_MESSAGES.test(message)) return true;
  return isDatabaseUnavailableError(field(error, 'cause'), depth + 1);
}
