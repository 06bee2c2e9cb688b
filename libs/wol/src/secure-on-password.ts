import { SecureOnPasswordError } from './wol.errors';

/**
 * A SecureOn password is 4 or 6 raw bytes appended to the magic packet (ethtool `sopass`).
 * Accepts bytes, or hex text with one optional separator (`:`/`-`) between bytes.
 */
export function parseSecureOnPassword(password: Uint8Array | string): Buffer {
  let bytes: Buffer;
  if (typeof password === 'string') {
    const text = password.trim();
    const separated = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2})+$/.test(text);
    if (!separated && !/^[0-9a-fA-F]*$/.test(text)) {
      throw new SecureOnPasswordError(
        /^[0-9a-fA-F:-]*$/.test(text) ? 'bad-format' : 'non-hex',
        'expected hex bytes such as 01:02:03:04 or 010203040506',
      );
    }
    const hex = text.replace(/[:-]/g, '');
    if (hex.length % 2 !== 0) throw new SecureOnPasswordError('wrong-length', 'odd number of hex digits');
    bytes = Buffer.from(hex, 'hex');
  } else {
    bytes = Buffer.from(password);
  }
  if (bytes.length !== 4 && bytes.length !== 6) {
    throw new SecureOnPasswordError('wrong-length', `must be 4 or 6 bytes, got ${bytes.length}`);
  }
  return bytes;
}
