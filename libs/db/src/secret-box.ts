import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

import { rememberOpenedSecret } from './opened-secrets';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretDecryptionError';
  }
}

/** Short, non-reversible id of a key: tells which key sealed a value, for rotation. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Seals a secret with AES-256-GCM as `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts).
 * `context` (e.g. "host:<id>:password") is bound as associated data, so a sealed value copied to
 * another row or column does not decrypt there.
 */
export function sealSecret(plaintext: string, key: Buffer, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    VERSION,
    keyId(key),
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    ciphertext.toString('base64url'),
  ].join(':');
}

/**
 * Opens a value sealed by sealSecret with any of `keys` (the current key first, then old ones).
 * The plaintext is remembered for scrubOpenedSecrets.
 */
export function openSecret(sealed: string, keys: readonly Buffer[], context: string): string {
  const parts = sealed.split(':');
  if (parts.length !== 5 || parts[0] !== VERSION)
    throw new SecretDecryptionError('not a sealed secret (unknown format)');
  const [, id, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  const key = keys.find((k) => keyId(k) === id);
  if (!key) {
    throw new SecretDecryptionError(
      `sealed with key ${id}, which is not configured: set NUTFLEET_SECRET_KEY to that key (or run the key rotation with it as the old key)`,
    );
  }
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    const tagBytes = Buffer.from(tag, 'base64url');
    if (tagBytes.length !== TAG_BYTES) throw new Error('bad authentication tag length');
    decipher.setAuthTag(tagBytes);
    plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch (error) {
    throw new SecretDecryptionError('sealed secret failed authentication (tampered, or bound to another record)', {
      cause: error,
    });
  }
  rememberOpenedSecret(plaintext);
  return plaintext;
}
