import { isIP } from 'node:net';

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, ≤ 253 chars. */
const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const MAC = /^[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}$/;
const MAC_BARE = /^[0-9A-Fa-f]{12}$/;
/** OpenSSH's `SHA256:<base64 without padding>` form of a host-key fingerprint. */
const SSH_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
/** A certificate's SHA-256: 64 hex digits, bare or colon-separated. */
const CERT_FINGERPRINT = /^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$/;

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const NAME_RULE = 'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit';
export const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:=/-]{0,63}$/;
export const TAG_RULE = 'must be 1-64 letters, digits or ".", "_", ":", "=", "/", "-", starting with a letter or digit';

export function isHostAddress(value: string): boolean {
  return isIP(value) !== 0 || (HOSTNAME.test(value) && !/^[0-9.]+$/.test(value));
}

export function isIPv4(value: string): boolean {
  return isIP(value) === 4;
}

export function isMacAddress(value: string): boolean {
  return MAC.test(value) || MAC_BARE.test(value);
}

/** aa:bb:cc:dd:ee:ff, the form stored and compared. */
export function normalizeMac(value: string): string {
  const hex = value.replace(/[:-]/g, '').toLowerCase();
  return hex.match(/../g)?.join(':') ?? hex;
}

export function isSshFingerprint(value: string): boolean {
  return SSH_FINGERPRINT.test(value);
}

export function isCertificateFingerprint(value: string): boolean {
  return CERT_FINGERPRINT.test(value);
}

export function normalizeCertificateFingerprint(value: string): string {
  const hex = value.replace(/:/g, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? hex;
}

export function isPemCertificate(value: string): boolean {
  return /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/.test(value);
}

/** PEM or OpenSSH private keys (RSA, EC, Ed25519...): the shape only, not the key's validity. */
export function isPrivateKeyText(value: string): boolean {
  return /^\s*-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END ([A-Z0-9]+ )?PRIVATE KEY-----\s*$/.test(
    value,
  );
}
