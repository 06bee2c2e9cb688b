import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidMacAddress, parseMacAddress } from './mac-address.parser';
import { MacAddressError, type MacAddressErrorReason } from './wol.errors';

const EXPECTED = Buffer.from([0x00, 0x25, 0x90, 0x1e, 0x42, 0x50]);

describe('parseMacAddress', () => {
  const accepted: Array<[string, string]> = [
    ['colon, lower case', '00:25:90:1e:42:50'],
    ['colon, upper case', '00:25:90:1E:42:50'],
    ['dash', '00-25-90-1e-42-50'],
    ['Cisco dot', '0025.901e.4250'],
    ['bare hex', '0025901e4250'],
    ['surrounding spaces', '  00:25:90:1e:42:50 '],
  ];
  for (const [name, input] of accepted) {
    it(`accepts ${name}: "${input}"`, () => {
      const mac = parseMacAddress(input);
      assert.deepEqual(mac.bytes, EXPECTED);
      assert.equal(mac.canonical, '00:25:90:1e:42:50');
      assert.equal(isValidMacAddress(input), true);
    });
  }

  const rejected: Array<[string, string, MacAddressErrorReason]> = [
    ['empty', '', 'empty'],
    ['blank', '   ', 'empty'],
    ['five bytes with colons', '00:25:90:1e:42', 'wrong-length'],
    ['seven bytes with colons', '00:25:90:1e:42:50:11', 'wrong-length'],
    ['eleven bare digits', '0025901e425', 'wrong-length'],
    ['fourteen bare digits', '0025901e425011', 'wrong-length'],
    ['four dot groups', '0025.901e.4250.1111', 'wrong-length'],
    ['non-hex in colon form', '00:25:90:1e:42:zz', 'non-hex'],
    ['non-hex bare', '0025901e42zz', 'non-hex'],
    ['words', 'not a mac', 'non-hex'],
    ['mixed separators', '00:25-90:1e:42:50', 'bad-format'],
    ['single-digit groups', '0:25:90:1e:42:50:0', 'bad-format'],
    ['three-digit groups', '002:590:1e4:250', 'bad-format'],
    ['broadcast', 'ff:ff:ff:ff:ff:ff', 'broadcast'],
    ['broadcast, upper case bare', 'FFFFFFFFFFFF', 'broadcast'],
    ['all zeros', '00:00:00:00:00:00', 'zero'],
    ['multicast', '01:00:5e:00:00:01', 'multicast'],
  ];
  for (const [name, input, reason] of rejected) {
    it(`rejects ${name}: "${input}" (${reason})`, () => {
      assert.throws(
        () => parseMacAddress(input),
        (error: unknown) =>
          error instanceof MacAddressError &&
          error.reason === reason &&
          error.input === input &&
          error.message.includes(input),
      );
      assert.equal(isValidMacAddress(input), false);
    });
  }

  it('returns a fresh buffer each time', () => {
    const a = parseMacAddress('00:25:90:1e:42:50');
    a.bytes[0] = 0x42;
    assert.deepEqual(parseMacAddress('00:25:90:1e:42:50').bytes, EXPECTED);
  });
});
