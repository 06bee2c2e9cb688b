import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { buildVibFixture, HostState, readVibFile } from '../../src/esxi-sim';
import { HostFilesystem } from '../../src/esxi-sim/host-filesystem';
import { planVibTransaction, type VibTransactionOptions } from '../../src/esxi-sim/vib-install.rules';

const install: VibTransactionOptions = { kind: 'install', force: false, dryRun: true, maintenanceModeFlag: false };
const host = (version: '7.0' | '8.0' = '8.0'): HostState =>
  new HostState({ version, acceptanceLevel: 'CommunitySupported' }, 'esx-test', '00:50:56:00:00:01');
const errorClassOf = (outcome: ReturnType<typeof planVibTransaction>): string | undefined =>
  'errorClass' in outcome ? outcome.errorClass : undefined;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
/** A .vib as esxcli reads it from the host's disk: with the file's sha-256. */
const vibFile = (bytes: Buffer): ReturnType<typeof readVibFile> => readVibFile(bytes, sha256(bytes));

describe("simulated ESXi payload checks (verdicts kept by the file's sha-256)", () => {
  it('a VIB that declares a wrong checksum for a payload checked before is still refused', () => {
    assert.equal(errorClassOf(planVibTransaction(host(), [vibFile(buildVibFixture().bytes)], install)), undefined);
    // Same payload bytes as the good VIB, another declared sha-256: another file.
    const lying = vibFile(buildVibFixture({ corruptPayloadChecksum: true }).bytes);
    assert.equal(errorClassOf(planVibTransaction(host(), [lying], install)), 'VibValidationError');
    assert.equal(errorClassOf(planVibTransaction(host(), [lying], install)), 'VibValidationError', 'kept as refused');
  });

  it('a copy whose bytes changed after a good one was checked is checked in full', () => {
    const fixture = buildVibFixture();
    assert.equal(errorClassOf(planVibTransaction(host(), [vibFile(fixture.bytes)], install)), undefined);
    const damaged = Buffer.from(fixture.bytes);
    const payloadAt = damaged.length - 40; // inside the gzip stream (the ar archive ends with it)
    damaged[payloadAt] = (damaged[payloadAt] ?? 0) ^ 0xff;
    assert.equal(errorClassOf(planVibTransaction(host(), [vibFile(damaged)], install)), 'VibValidationError');
  });

  it('one file, two releases: ESXi 8 refuses a payload without a gunzip checksum, 7.0 takes it, in either order', () => {
    for (const order of [
      ['7.0', '8.0'],
      ['8.0', '7.0'],
    ] as const) {
      const name = `upsmon-${order.join('-')}`;
      const file = buildVibFixture({ withoutGunzipChecksum: true, name }).bytes;
      for (const version of order) {
        const outcome = planVibTransaction(host(version), [vibFile(file)], install);
        assert.equal(
          errorClassOf(outcome),
          version === '8.0' ? 'VibValidationError' : undefined,
          `${version} after ${order[0]}`,
        );
      }
    }
  });
});

describe('simulated host file system', () => {
  it('an upload written piece by piece, out of order and past the end, reads back byte for byte', () => {
    const fs = new HostFilesystem(10 * 1024 * 1024);
    assert.equal(fs.create('/tmp/a.vib', true), 'ok');
    const content = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    const pieces = [];
    for (let at = 0; at < content.length; at += 31 * 1024) pieces.push(at);
    for (const at of pieces.reverse())
      assert.equal(fs.write('/tmp/a.vib', at, content.subarray(at, at + 31 * 1024)), 'ok');
    assert.deepEqual(fs.file('/tmp/a.vib')?.data, content);
    assert.equal(fs.usedBytes, content.length);
    assert.equal(fs.write('/tmp/a.vib', content.length + 10, Buffer.from('x')), 'ok');
    const grown = fs.file('/tmp/a.vib')?.data ?? Buffer.alloc(0);
    assert.equal(grown.length, content.length + 11);
    assert.deepEqual(grown.subarray(content.length, content.length + 10), Buffer.alloc(10), 'a gap reads as zeros');
    assert.equal(fs.usedBytes, content.length + 11);
  });

  it("a file's sha-256 follows its writes", () => {
    const fs = new HostFilesystem(1024 * 1024);
    assert.equal(fs.sha256('/tmp/none'), undefined);
    assert.equal(fs.putFile('/tmp/b.vib', Buffer.from('first')), 'ok');
    assert.equal(fs.sha256('/tmp/b.vib'), sha256(Buffer.from('first')));
    assert.equal(fs.write('/tmp/b.vib', 0, Buffer.from('F')), 'ok');
    assert.equal(fs.sha256('/tmp/b.vib'), sha256(Buffer.from('First')), 'rewritten in place');
    assert.equal(fs.putFile('/tmp/b.vib', Buffer.from('second')), 'ok');
    assert.equal(fs.sha256('/tmp/b.vib'), sha256(Buffer.from('second')), 'replaced');
  });
});
