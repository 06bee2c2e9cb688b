import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAGIC_PACKET_BASE_LENGTH, buildMagicPacket } from './magic-packet';
import { parseMacAddress } from './mac-address.parser';
import { parseSecureOnPassword } from './secure-on-password';
import { MacAddressError, SecureOnPasswordError } from './wol.errors';

/** Written out by hand so the test does not share the builder's logic. */
function expectedPacket(macHex: string, tailHex = ''): Buffer {
  return Buffer.from('ff'.repeat(6) + macHex.repeat(16) + tailHex, 'hex');
}

describe('buildMagicPacket', () => {
  it('is 6 × 0xFF then 16 × the MAC, 102 bytes, byte for byte', () => {
    const packet = buildMagicPacket('00:25:90:1e:42:50');
    assert.equal(packet.length, 102);
    assert.equal(MAGIC_PACKET_BASE_LENGTH, 102);
    assert.deepEqual(packet, expectedPacket('0025901e4250'));
    assert.deepEqual([...packet.subarray(0, 8)], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x25]);
    assert.deepEqual([...packet.subarray(96)], [0x00, 0x25, 0x90, 0x1e, 0x42, 0x50]);
  });

  it('gives the same bytes for every accepted MAC format', () => {
    const reference = expectedPacket('a0b1c2d3e4f6');
    for (const mac of ['a0:b1:c2:d3:e4:f6', 'A0-B1-C2-D3-E4-F6', 'a0b1.c2d3.e4f6', 'a0b1c2d3e4f6']) {
      assert.deepEqual(buildMagicPacket(mac), reference, mac);
    }
  });

  it('accepts an already parsed MAC', () => {
    assert.deepEqual(buildMagicPacket(parseMacAddress('a0b1c2d3e4f6')), expectedPacket('a0b1c2d3e4f6'));
  });

  it('appends a 4-byte SecureOn password (106 bytes)', () => {
    const packet = buildMagicPacket('00:25:90:1e:42:50', Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    assert.equal(packet.length, 106);
    assert.deepEqual(packet, expectedPacket('0025901e4250', 'deadbeef'));
  });

  it('appends a 6-byte SecureOn password given as text (108 bytes)', () => {
    const packet = buildMagicPacket('00:25:90:1e:42:50', '01:02:03:04:05:06');
    assert.equal(packet.length, 108);
    assert.deepEqual(packet, expectedPacket('0025901e4250', '010203040506'));
  });

  it('refuses a bad MAC with MacAddressError', () => {
    assert.throws(() => buildMagicPacket('ff:ff:ff:ff:ff:ff'), MacAddressError);
  });
});

describe('parseSecureOnPassword', () => {
  const accepted: Array<[string, Uint8Array | string, string]> = [
    ['4 raw bytes', new Uint8Array([1, 2, 3, 4]), '01020304'],
    ['6 raw bytes', Buffer.from('a1a2a3a4a5a6', 'hex'), 'a1a2a3a4a5a6'],
    ['4 bytes, colon text', '01:02:03:04', '01020304'],
    ['6 bytes, dash text', 'a1-a2-a3-a4-a5-a6', 'a1a2a3a4a5a6'],
    ['6 bytes, bare hex', 'A1A2A3A4A5A6', 'a1a2a3a4a5a6'],
  ];
  for (const [name, input, hex] of accepted) {
    it(`accepts ${name}`, () => assert.equal(parseSecureOnPassword(input).toString('hex'), hex));
  }
  const rejected: Array<[string, Uint8Array | string, string]> = [
    ['5 bytes', new Uint8Array(5), 'wrong-length'],
    ['empty', '', 'wrong-length'],
    ['odd hex', '0102030', 'wrong-length'],
    ['non-hex', 'secret', 'non-hex'],
    ['stray separators', '01::02:03:04', 'bad-format'],
  ];
  for (const [name, input, reason] of rejected) {
    it(`rejects ${name} (${reason}) without echoing the password`, () => {
      assert.throws(
        () => parseSecureOnPassword(input),
        (error: unknown) =>
          error instanceof SecureOnPasswordError &&
          error.reason === reason &&
          (typeof input !== 'string' || input === '' || !error.message.includes(input)),
      );
    });
  }
});
