import { type MacAddress, parseMacAddress } from './mac-address.parser';
import { parseSecureOnPassword } from './secure-on-password';

export const MAGIC_PACKET_BASE_LENGTH = 6 + 16 * 6;

/**
 * 6 × 0xFF, then the MAC 16 times (102 bytes), then the SecureOn password if any (106 or 108).
 * Throws MacAddressError / SecureOnPasswordError on bad input.
 */
export function buildMagicPacket(mac: string | MacAddress, secureOnPassword?: Uint8Array | string): Buffer {
  const macBytes = typeof mac === 'string' ? parseMacAddress(mac).bytes : mac.bytes;
  const password = secureOnPassword === undefined ? Buffer.alloc(0) : parseSecureOnPassword(secureOnPassword);
  const packet = Buffer.alloc(MAGIC_PACKET_BASE_LENGTH + password.length, 0xff);
  for (let i = 0; i < 16; i += 1) macBytes.copy(packet, 6 + i * 6);
  password.copy(packet, MAGIC_PACKET_BASE_LENGTH);
  return packet;
}
