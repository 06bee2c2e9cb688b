import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputParseError } from '../parsing/output-parse-error';
import { parseSystemVersion } from './esxcli-version.parser';

describe('parseSystemVersion', () => {
  it('reads ESXi 8.0 output', () => {
    const text =
      '   Product: VMware ESXi\n   Version: 8.0.3\n   Build: Releasebuild-24022510\n   Update: 3\n   Patch: 24\n';
    assert.deepEqual(parseSystemVersion(text), {
      product: 'VMware ESXi',
      version: '8.0.3',
      build: 'Releasebuild-24022510',
      buildNumber: 24022510,
      update: 3,
      patch: 24,
    });
  });

  it('reads ESXi 6.7 and 7.0 output, with CRLF and trailing spaces', () => {
    const v67 = parseSystemVersion(
      '   Product: VMware ESXi\r\n   Version: 6.7.0\r\n   Build: Releasebuild-8169922\r\n   Update: 0\r\n   Patch: 0\r\n',
    );
    assert.equal(v67.version, '6.7.0');
    assert.equal(v67.buildNumber, 8169922);
    const v70 = parseSystemVersion(
      '   Product: VMware ESXi  \n   Version: 7.0.3\n   Build: Releasebuild-21930508\n   Update: 3\n   Patch: 95\n   Extra Field: ignored\n',
    );
    assert.equal(v70.patch, 95);
    assert.equal(v70.product, 'VMware ESXi');
  });

  it('rejects output that is not a version record', () => {
    assert.throws(() => parseSystemVersion(''), OutputParseError);
    assert.throws(() => parseSystemVersion('sh: esxcli: not found\n'), OutputParseError);
    assert.throws(
      () => parseSystemVersion('   Product: VMware ESXi\n   Version: banana\n   Build: x\n'),
      OutputParseError,
    );
  });
});
