import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import {
  buildOfflineBundleFixture,
  buildVibFixture,
  readArArchive,
  readOfflineBundle,
  readVibFile,
  readZipArchive,
} from '../../src/esxi-sim';

describe('VIB fixtures and archive readers', () => {
  it('builds an ar archive with descriptor.xml, an empty sig.pkcs7 and a payload', () => {
    const vib = buildVibFixture();
    assert.equal(vib.bytes.subarray(0, 8).toString('latin1'), '!<arch>\n');
    const members = readArArchive(vib.bytes);
    assert.deepEqual(
      members.map((m) => m.name),
      ['descriptor.xml', 'sig.pkcs7', 'upsmon'],
    );
    assert.equal(members[1]?.data.length, 0);
    assert.equal(vib.fileName, 'upsmon-2.8.5-2.7.3.x86_64.vib');
    assert.equal(vib.vibId, 'Margar_bootbank_upsmon_2.8.5-2.7.3');
  });

  it('declares checksums that match the payload', () => {
    const loaded = readVibFile(buildVibFixture().bytes);
    const d = loaded.descriptor;
    assert.equal(d.acceptanceLevel, 'community');
    const payload = loaded.payloads.get('upsmon') ?? Buffer.alloc(0);
    const sums = d.payloads[0]?.checksums ?? [];
    const gunzip = sums.find((c) => c.type === 'sha-256' && c.verifyProcess === 'gunzip');
    assert.equal(gunzip?.value, createHash('sha256').update(gunzipSync(payload)).digest('hex'));
    assert.equal(
      sums.find((c) => c.type === 'sha-256' && !c.verifyProcess)?.value,
      createHash('sha256').update(payload).digest('hex'),
    );
  });

  it('can leave out the gunzip checksum, as pre-2.3.2 VIBs did', () => {
    const d = readVibFile(buildVibFixture({ withoutGunzipChecksum: true }).bytes).descriptor;
    assert.equal(
      d.payloads[0]?.checksums.some((c) => c.verifyProcess === 'gunzip' && c.type === 'sha-256'),
      false,
    );
  });

  it('round-trips an offline bundle through the zip reader', () => {
    const vib = buildVibFixture({ version: '2.8.2-2.6.2' });
    const bundle = buildOfflineBundleFixture([vib]);
    const names = readZipArchive(bundle).map((e) => e.name);
    assert.ok(names.includes('index.xml'));
    assert.ok(names.includes('Margar-upsmon-2.8.2-2.6.2-metadata.zip'));
    assert.ok(names.includes('vib20/upsmon/upsmon-2.8.2-2.6.2.x86_64.vib'));
    assert.deepEqual(
      readOfflineBundle(bundle).map((v) => v.descriptor.version),
      ['2.8.2-2.6.2'],
    );
  });
});
