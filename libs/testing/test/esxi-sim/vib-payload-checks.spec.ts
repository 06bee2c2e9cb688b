import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildVibFixture, HostState, readVibFile } from '../../src/esxi-sim';
import { HostFilesystem } from '../../src/esxi-sim/host-filesystem';
import { planVibTransaction, type VibTransactionOptions } from '../../src/esxi-sim/vib-install.rules';

const install: VibTransactionOptions = { kind: 'install', force: false, dryRun: true, maintenanceModeFlag: false };
const host = (): HostState => new HostState({ acceptanceLevel: 'CommunitySupported' }, 'esx-test', '00:50:56:00:00:01');
const errorClassOf = (outcome: ReturnType<typeof planVibTransaction>): string | undefined =>
  'errorClass' in outcome ? outcome.errorClass : undefined;

describe('simulated ESXi payload checks (checksums kept by content)', () => {
  it('a payload checked once on one host is still refused on another when its declared checksum is wrong', () => {
    const good = readVibFile(buildVibFixture().bytes);
    assert.equal(errorClassOf(planVibTransaction(host(), [good], install)), undefined);
    // Same payload bytes as the good VIB, another declared sha-256.
    const lying = readVibFile(buildVibFixture({ corruptPayloadChecksum: true }).bytes);
    assert.equal(errorClassOf(planVibTransaction(host(), [lying], install)), 'VibValidationError');
  });

  it('a payload whose bytes changed after a good copy was checked is checked in full', () => {
    const fixture = buildVibFixture();
    assert.equal(errorClassOf(planVibTransaction(host(), [readVibFile(fixture.bytes)], install)), undefined);
    const damaged = Buffer.from(fixture.bytes);
    const payloadAt = damaged.length - 40; // inside the gzip stream (the ar archive ends with it)
    damaged[payloadAt] = (damaged[payloadAt] ?? 0) ^ 0xff;
    const outcome = planVibTransaction(host(), [readVibFile(damaged)], install);
    assert.equal(errorClassOf(outcome), 'VibValidationError');
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
});
