import { createHash, timingSafeEqual } from 'node:crypto';

/** OpenSSH's `SHA256:<unpadded base64>` fingerprint of a raw SSH public key blob. */
export function hostKeyFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts what people paste: with or without the `SHA256:` prefix and base64 padding. */
export function normaliseFingerprint(fingerprint: string): string {
  const body = fingerprint
    .trim()
    .replace(/^SHA256:/i, '')
    .replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]{43}$/.test(body)) {
    throw new TypeError(`Not an OpenSSH SHA256 host key fingerprint: ${JSON.stringify(fingerprint)}`);
  }
  return `SHA256:${body}`;
}

/** Constant-time comparison, so timing reveals nothing about the pinned value. */
export function fingerprintsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
