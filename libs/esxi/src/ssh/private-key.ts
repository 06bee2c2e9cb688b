import { createHash, createPrivateKey, type KeyObject, sign as cryptoSign } from 'node:crypto';
import { type ParsedKey, utils } from 'ssh2';

// A fleet shares one key or a few; parsing it per connection cost more than the handshake.
const CACHE_LIMIT = 16;
const cache = new Map<string, ParsedKey>();

/**
 * The caller's private key, parsed once. ssh2 signs with a PEM string, which OpenSSL parses
 * again for every signature (~0.4 ms for ed25519); the returned key signs with a KeyObject
 * made once (~0.03 ms). Throws the parse error for an unreadable key or a wrong passphrase.
 */
export function loadPrivateKey(key: string | Buffer, passphrase: string | undefined): ParsedKey {
  const id = createHash('sha256')
    .update(key)
    .update('\0')
    .update(passphrase ?? '')
    .digest('hex');
  const cached = cache.get(id);
  if (cached) return cached;
  const parsed = utils.parseKey(key, passphrase);
  if (parsed instanceof Error) throw parsed;
  const fast = withKeyObjectSigning(parsed, createPrivateKey(parsed.getPrivatePEM()));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value ?? '');
  cache.set(id, fast);
  return fast;
}

// Inherits everything from ssh2's key (which ssh2 recognises by its own hidden fields) and
// replaces `sign` only; like ssh2's, it returns an Error instead of throwing.
function withKeyObjectSigning(parsed: ParsedKey, keyObject: KeyObject): ParsedKey {
  const fast = Object.create(parsed) as ParsedKey;
  fast.sign = (data: Buffer | string, algo?: string): Buffer => {
    const digest = algo ?? (parsed.type === 'ssh-ed25519' ? null : undefined);
    if (digest === undefined) return parsed.sign(data, algo);
    try {
      return cryptoSign(digest, typeof data === 'string' ? Buffer.from(data) : data, keyObject);
    } catch (err) {
      return (err instanceof Error ? err : new Error(String(err))) as unknown as Buffer;
    }
  };
  return fast;
}
