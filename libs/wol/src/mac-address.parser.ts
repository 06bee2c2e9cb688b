import { MacAddressError } from './wol.errors';

/** A validated unicast MAC address. */
export interface MacAddress {
  /** Six bytes, a fresh copy per parse. */
  readonly bytes: Buffer;
  /** Lower-case, colon-separated: `aa:bb:cc:dd:ee:ff`. */
  readonly canonical: string;
}

const GROUPED = [
  { pattern: /^([^:]{2}):([^:]{2}):([^:]{2}):([^:]{2}):([^:]{2}):([^:]{2})$/, label: 'colon' },
  { pattern: /^([^-]{2})-([^-]{2})-([^-]{2})-([^-]{2})-([^-]{2})-([^-]{2})$/, label: 'dash' },
  { pattern: /^([^.]{4})\.([^.]{4})\.([^.]{4})$/, label: 'dot' },
];

/**
 * Accepts exactly `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff` and `aabbccddeeff`
 * (any case, surrounding spaces trimmed). Mixed separators are refused: they are usually a
 * typo, and a magic packet sent to the wrong MAC fails silently.
 */
export function parseMacAddress(input: string): MacAddress {
  const text = input.trim();
  if (text.length === 0) throw new MacAddressError(input, 'empty', 'empty string');
  const hex = extractHex(input, text);
  if (!/^[0-9a-fA-F]+$/.test(hex))
    throw new MacAddressError(input, 'non-hex', 'contains characters that are not hexadecimal digits');
  if (hex.length !== 12)
    throw new MacAddressError(input, 'wrong-length', `has ${hex.length / 2} bytes, a MAC address has 6`);
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.every((b) => b === 0xff))
    throw new MacAddressError(input, 'broadcast', 'is the broadcast address, not a network card');
  if (bytes.every((b) => b === 0x00)) throw new MacAddressError(input, 'zero', 'is all zeros, not a network card');
  // The group bit of the first octet marks multicast: no NIC answers to one as its own address.
  if (((bytes[0] ?? 0) & 0x01) === 1)
    throw new MacAddressError(input, 'multicast', 'is a multicast address, not a network card');
  return { bytes, canonical: [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':') };
}

/** True when `parseMacAddress` would accept the input. */
export function isValidMacAddress(input: string): boolean {
  try {
    parseMacAddress(input);
    return true;
  } catch (error) {
    if (error instanceof MacAddressError) return false;
    throw error;
  }
}

function extractHex(input: string, text: string): string {
  for (const { pattern } of GROUPED) {
    const match = pattern.exec(text);
    if (match !== null) return match.slice(1).join('');
  }
  if (/^[0-9a-fA-F]*$/.test(text)) return text.length % 2 === 0 ? text : oddLength(input, text);
  if (/[:\-.]/.test(text)) {
    const groups = text.split(/[:\-.]/);
    const separators = new Set(text.match(/[:\-.]/g));
    if (separators.size > 1) throw new MacAddressError(input, 'bad-format', 'mixes separators');
    if (groups.some((g) => !/^[0-9a-fA-F]*$/.test(g)))
      throw new MacAddressError(input, 'non-hex', 'contains characters that are not hexadecimal digits');
    const bytes = groups.join('').length / 2;
    if (bytes !== 6)
      throw new MacAddressError(input, 'wrong-length', `has ${Math.floor(bytes)} bytes, a MAC address has 6`);
    throw new MacAddressError(
      input,
      'bad-format',
      'groups must be aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff',
    );
  }
  throw new MacAddressError(input, 'non-hex', 'contains characters that are not hexadecimal digits');
}

function oddLength(input: string, text: string): never {
  throw new MacAddressError(input, 'wrong-length', `has ${text.length} hex digits, a MAC address has 12`);
}
