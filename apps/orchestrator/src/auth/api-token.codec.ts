import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tokens look like `nf_<43 base64url chars>`: 256 random bits, recognisable in leaked-secret scans. */
export const TOKEN_PREFIX = 'nf_';
const TOKEN_PATTERN = /^nf_[A-Za-z0-9_-]{43}$/;
/** Characters kept in clear to recognise a token in lists (prefix + 6 chars: 36 bits, not guessable). */
export const RECOGNITION_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function recognitionPrefix(token: string): string {
  return token.slice(0, RECOGNITION_PREFIX_LENGTH);
}

export function looksLikeApiToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export type BearerParse = { ok: true; token: string } | { ok: false; reason: 'missing' | 'malformed' };

/** Reads `Authorization: Bearer <token>` (scheme case-insensitive, as RFC 6750 allows). */
export function parseBearer(header: string | string[] | undefined): BearerParse {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (Array.isArray(header)) return { ok: false, reason: 'malformed' };
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match?.[1]) return { ok: false, reason: 'malformed' };
  return { ok: true, token: match[1] };
}
