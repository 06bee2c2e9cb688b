import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprintsEqual, hostKeyFingerprint, normaliseFingerprint } from './host-key-fingerprint';

describe('host key fingerprints', () => {
  it('formats like OpenSSH: SHA256 prefix, base64 without padding', () => {
    const fp = hostKeyFingerprint(Buffer.from('key'));
    assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('normalises pasted variants and rejects garbage', () => {
    const fp = hostKeyFingerprint(Buffer.from('key'));
    assert.equal(normaliseFingerprint(` ${fp.slice(7)}= `), fp);
    assert.equal(normaliseFingerprint(fp.replace('SHA256', 'sha256')), fp);
    assert.throws(() => normaliseFingerprint('MD5:aa:bb'), TypeError);
  });

  it('compares equal and unequal values, including different lengths', () => {
    const fp = hostKeyFingerprint(Buffer.from('key'));
    assert.equal(fingerprintsEqual(fp, fp), true);
    assert.equal(fingerprintsEqual(fp, hostKeyFingerprint(Buffer.from('other'))), false);
    assert.equal(fingerprintsEqual(fp, 'SHA256:short'), false);
  });
});
