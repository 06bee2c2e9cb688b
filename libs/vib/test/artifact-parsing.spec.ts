import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { buildOfflineBundleFixture, buildVibFixture } from '@nutfleet/testing';
import { ArtifactError, parseArtifactFile, UnknownArtifactFormatError } from '../src';

const dir = mkdtempSync(join(tmpdir(), 'nutfleet-vib-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(bytes: Buffer, name = `f${++n}.bin`): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function rejects(bytes: Buffer, code: string, message: RegExp): Promise<void> {
  await assert.rejects(parseArtifactFile(file(bytes)), (err: unknown) => {
    assert.ok(err instanceof ArtifactError, `expected ArtifactError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, message);
    return true;
  });
}

/** Minimal ar writer for hand-made malformed VIBs. */
function ar(members: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n')];
  for (const m of members) {
    parts.push(
      Buffer.from(
        `${`${m.name}/`.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'100644'.padEnd(8)}${String(m.data.length).padEnd(10)}\`\n`,
      ),
      m.data,
    );
    if (m.data.length % 2) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

describe('parseArtifactFile: .vib', () => {
  it('reads the descriptor of a NutClient-style VIB, with payload checksums verified, and the file sha256', async () => {
    const vib = buildVibFixture({ version: '2.8.5-2.7.3' });
    const parsed = await parseArtifactFile(file(vib.bytes, vib.fileName));
    assert.equal(parsed.kind, 'vib');
    if (parsed.kind !== 'vib') return;
    assert.equal(parsed.sha256, vib.sha256);
    assert.equal(parsed.sizeBytes, vib.bytes.length);
    assert.equal(parsed.fileName, 'upsmon-2.8.5-2.7.3.x86_64.vib');
    assert.equal(parsed.signed, false);
    const d = parsed.descriptor;
    assert.deepEqual(
      [d.name, d.version, d.vendor, d.type, d.acceptanceLevel],
      ['upsmon', '2.8.5-2.7.3', 'Margar', 'bootbank', 'community'],
    );
    assert.equal(d.vibId, 'Margar_bootbank_upsmon_2.8.5-2.7.3');
    assert.equal(d.summary, 'Network UPS Tools client');
    assert.equal(d.maintenanceModeRequired, false);
    assert.equal(d.payloads.length, 1);
    const p = d.payloads[0];
    assert.ok(p);
    assert.equal(p.name, 'upsmon');
    assert.equal(p.type, 'tgz');
    assert.ok(p.hasSha256Gunzip);
    assert.deepEqual(
      p.checksums.map((c) => `${c.type}/${c.verifyProcess ?? ''}`),
      ['sha-256/gunzip', 'sha-256/', 'sha-1/gunzip'],
    );
    assert.ok(p.size !== undefined && p.size > 0);
  });

  it('flags a VIB built without the sha-256 gunzip checksum (ESXi 8 refuses those)', async () => {
    const parsed = await parseArtifactFile(file(buildVibFixture({ withoutGunzipChecksum: true }).bytes));
    assert.equal(parsed.kind === 'vib' && parsed.descriptor.payloads[0]?.hasSha256Gunzip, false);
  });

  it('reads relationships and platform constraints when present', async () => {
    const xml = buildVibFixture()
      .descriptorXml.replace(
        '<depends></depends>',
        '<depends><constraint name="esx-version" relation="&gt;=" version="6.0.0"/></depends>',
      )
      .replace('</vib>', '<software-platform version="8.0.*" locale="" productLineID="embeddedEsx"/></vib>');
    const vib = buildVibFixture();
    const payload = ar([
      { name: 'descriptor.xml', data: Buffer.from(xml) },
      { name: 'sig.pkcs7', data: Buffer.alloc(0) },
    ]);
    // Reuse the real payload member so checksums still match.
    const original = vib.bytes;
    const payloadStart = original.indexOf(Buffer.from('upsmon/'.padEnd(16)), 8);
    const withPayload = Buffer.concat([payload, original.subarray(payloadStart)]);
    const parsed = await parseArtifactFile(file(withPayload));
    assert.ok(parsed.kind === 'vib');
    assert.deepEqual(parsed.descriptor.depends, [{ name: 'esx-version', relation: '>=', version: '6.0.0' }]);
    assert.deepEqual(parsed.descriptor.softwarePlatforms, [
      { version: '8.0.*', locale: '', productLineID: 'embeddedEsx' },
    ]);
  });

  it('refuses a payload whose declared checksum is wrong', async () => {
    await rejects(buildVibFixture({ corruptPayloadChecksum: true }).bytes, 'payload-mismatch', /sha-256 checksum is/);
  });

  it('refuses a truncated VIB at every cut inside the payload and headers', async () => {
    const bytes = buildVibFixture().bytes;
    for (const cut of [8 + 30, 8 + 60 + 10, bytes.length - 7]) {
      await rejects(bytes.subarray(0, cut), 'truncated', /truncated/);
    }
  });

  it('refuses a VIB without descriptor.xml', async () => {
    await rejects(ar([{ name: 'sig.pkcs7', data: Buffer.alloc(0) }]), 'descriptor-missing', /no descriptor\.xml/);
  });

  it('refuses malformed descriptor XML, and a descriptor without name or with an unknown acceptance level', async () => {
    await rejects(
      ar([{ name: 'descriptor.xml', data: Buffer.from('<vib><name>x</vib>') }]),
      'descriptor-invalid',
      /not well-formed/,
    );
    const good = buildVibFixture().descriptorXml;
    await rejects(
      ar([{ name: 'descriptor.xml', data: Buffer.from(good.replace(/<name>upsmon<\/name>/, '')) }]),
      'descriptor-invalid',
      /<name> is missing/,
    );
    await rejects(
      ar([{ name: 'descriptor.xml', data: Buffer.from(good.replace('>community<', '>bogus<')) }]),
      'descriptor-invalid',
      /acceptance-level/,
    );
    await rejects(
      ar([
        { name: 'descriptor.xml', data: Buffer.from(good.replace('<version>2.8.5-2.7.3', '<version>2.8; rm -rf /')) },
      ]),
      'descriptor-invalid',
      /characters/,
    );
  });

  it('refuses a payload declared but absent', async () => {
    await rejects(
      ar([{ name: 'descriptor.xml', data: Buffer.from(buildVibFixture().descriptorXml) }]),
      'payload-mismatch',
      /absent from the archive/,
    );
  });

  it('refuses an oversized descriptor before reading it', async () => {
    await rejects(
      ar([{ name: 'descriptor.xml', data: Buffer.alloc(2 * 1024 * 1024, 0x20) }]),
      'too-large',
      /descriptor\.xml/,
    );
  });

  it('refuses files that are neither ar nor zip, naming what they start with', async () => {
    await assert.rejects(parseArtifactFile(file(Buffer.from('<html>not a vib</html>'))), UnknownArtifactFormatError);
    await assert.rejects(parseArtifactFile(file(Buffer.alloc(0))), /empty file/);
    await assert.rejects(
      parseArtifactFile(join(dir, 'missing.vib')),
      (e: unknown) => e instanceof ArtifactError && e.code === 'io',
    );
  });
});

/** Hand-made zip writer for malformed bundles (declared sizes may lie). */
function zip(
  entries: Array<{ name: string; data: Buffer; declaredSize?: number; crc?: number; store?: boolean }>,
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const stored = e.store ? e.data : deflateRawSync(e.data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(e.store ? 0 : 8, 8);
    head.writeUInt32LE(stored.length, 18);
    head.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(e.store ? 0 : 8, 10);
    c.writeUInt32LE(e.crc ?? 0, 16);
    c.writeUInt32LE(stored.length, 20);
    c.writeUInt32LE(e.declaredSize ?? e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(head, name, stored);
    centrals.push(c, name);
    offset += 30 + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('parseArtifactFile: offline bundle', () => {
  it('reads the metadata zip and every vib20/*.vib, with the zip sha256', async () => {
    const a = buildVibFixture({ version: '2.8.5-2.7.3' });
    const b = buildVibFixture({ name: 'upsmon-extra', version: '1.0.0-1' });
    const bytes = buildOfflineBundleFixture([a, b]);
    const parsed = await parseArtifactFile(file(bytes, 'NutClient-ESXi-2.8.5-2.7.3-x86_64-offline_bundle.zip'));
    assert.ok(parsed.kind === 'bundle');
    assert.equal(parsed.sha256, sha(bytes));
    assert.equal(parsed.sizeBytes, bytes.length);
    assert.deepEqual(
      parsed.vibs.map((v) => [v.path, v.descriptor.vibId, v.sha256]),
      [
        ['vib20/upsmon/upsmon-2.8.5-2.7.3.x86_64.vib', a.vibId, a.sha256],
        ['vib20/upsmon-extra/upsmon-extra-1.0.0-1.x86_64.vib', b.vibId, b.sha256],
      ],
    );
    assert.deepEqual(
      parsed.bulletins.map((x) => x.id),
      ['upsmon-2.8.5-2.7.3'],
    );
    assert.deepEqual(
      parsed.metadataVibs.map((d) => d.vibId),
      [a.vibId, b.vibId],
    );
  });

  it('refuses a zip without any VIB', async () => {
    await rejects(zip([{ name: 'readme.txt', data: Buffer.from('hi') }]), 'no-vib-in-bundle', /no \.vib/);
  });

  it('refuses a truncated bundle (no end of central directory)', async () => {
    const bytes = buildOfflineBundleFixture([buildVibFixture()]);
    await rejects(bytes.subarray(0, bytes.length - 30), 'truncated', /end-of-central-directory/);
  });

  it('refuses a zip bomb by its declared ratio, before inflating it', async () => {
    const bomb = Buffer.alloc(50 * 1024 * 1024); // deflates to ~50 KB: ratio ~1000
    await rejects(zip([{ name: 'vib20/x/x.vib', data: bomb }]), 'too-large', /inflate ratio/);
  });

  it('refuses an entry that inflates past its declared size (a lying header)', async () => {
    const data = Buffer.alloc(64 * 1024, 1);
    await rejects(
      zip([{ name: 'vib20/x/x.vib', data, declaredSize: 1000 }]),
      'malformed-archive',
      /past its declared|inflate ratio/,
    );
  });

  it('refuses a corrupt entry (CRC-32 mismatch)', async () => {
    const vib = buildVibFixture().bytes;
    await rejects(zip([{ name: 'vib20/upsmon/u.vib', data: vib, crc: 1234 }]), 'malformed-archive', /CRC-32/);
  });

  it('refuses a bundle whose VIB is itself malformed, naming the entry', async () => {
    await rejects(
      zip([{ name: 'vib20/upsmon/u.vib', data: Buffer.from('not an ar archive'), store: true, crc: 0 }]),
      'malformed-archive',
      /!vib20\/upsmon\/u\.vib/,
    );
  });

  it('refuses metadata describing a VIB the bundle does not ship', async () => {
    const a = buildVibFixture();
    const b = buildVibFixture({ name: 'other', version: '1.0-1' });
    const full = buildOfflineBundleFixture([a, b]);
    // Same metadata, but only the first VIB shipped: rebuild with the fixture's metadata entry.
    const onlyA = buildOfflineBundleFixture([a]);
    assert.notEqual(full.length, onlyA.length);
    const metadataName = `${a.vendor}-${a.name}-${a.version}-metadata.zip`;
    const { readZipDirectory, zipEntryChunks } = await import('../src/archive/zip-archive.reader');
    const { bufferSource } = await import('../src/archive/random-access-source');
    const src = bufferSource(full);
    const limits = { maxEntries: 100, maxCompressionRatio: 200 };
    const entry = (await readZipDirectory(src, 'x', limits)).find((e) => e.name === metadataName);
    assert.ok(entry);
    const chunks: Buffer[] = [];
    for await (const c of zipEntryChunks(src, entry, 'x', limits)) chunks.push(c);
    const { crc32 } = await import('node:zlib');
    const meta = Buffer.concat(chunks);
    await rejects(
      zip([
        { name: metadataName, data: meta, crc: crc32(meta) },
        { name: `vib20/upsmon/${a.fileName}`, data: a.bytes, crc: crc32(a.bytes) },
      ]),
      'malformed-archive',
      /does not ship it/,
    );
  });
});
