export type SecretKeyParseResult = { ok: true; key: Buffer } | { ok: false; reason: string };

const KEY_BYTES = 32;

/**
 * Accepts the 32-byte key as 64 hex characters or as base64 (standard or URL-safe, padding
 * optional). Anything else is refused with the reason, so a truncated paste is caught at start
 * rather than when the first secret fails to decrypt.
 */
export function parseSecretKey(raw: string): SecretKeyParseResult {
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'is empty (generate one with: openssl rand -hex 32)' };
  if (/^[0-9a-fA-F]+$/.test(value)) {
    if (value.length === KEY_BYTES * 2) return { ok: true, key: Buffer.from(value, 'hex') };
    return {
      ok: false,
      reason: `must be ${KEY_BYTES} bytes: 64 hex characters or base64 (got ${value.length} hex characters; generate one with: openssl rand -hex 32)`,
    };
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return { ok: true, key };
    return {
      ok: false,
      reason: `must be ${KEY_BYTES} bytes: 64 hex characters or base64 (got ${key.length} bytes of base64; generate one with: openssl rand -hex 32)`,
    };
  }
  return {
    ok: false,
    reason: `must be ${KEY_BYTES} bytes: 64 hex characters or base64 (it contains other characters; generate one with: openssl rand -hex 32)`,
  };
}
