/** @nutfleet/wol — Wake-on-LAN with node built-ins only. */
export {
  MacAddressError,
  type MacAddressErrorReason,
  SecureOnPasswordError,
  type SecureOnPasswordErrorReason,
  WakeOnLanOptionError,
  type WakeOnLanOptionErrorField,
  WakeOnLanSendError,
} from './wol.errors';
/** Strict MAC parsing: colon, dash, Cisco dot or bare hex; refuses broadcast, zero and multicast. */
export { type MacAddress, parseMacAddress, isValidMacAddress } from './mac-address.parser';
/** 4- or 6-byte SecureOn password from bytes or hex text. */
export { parseSecureOnPassword } from './secure-on-password';
/** 6 × 0xFF + 16 × MAC (+ SecureOn password). */
export { MAGIC_PACKET_BASE_LENGTH, buildMagicPacket } from './magic-packet';
/** Sends the magic packet `count` times over UDP and reports what went out. */
export { type WakeOnLanOptions, type WakeOnLanResult, sendWakeOnLan } from './wake-on-lan.sender';
