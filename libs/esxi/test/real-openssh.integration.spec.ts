import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// From its source folder: @nutfleet/testing's index also loads the database helpers.
import { canRunSshd, type ScriptedSshd, startScriptedSshd } from '../../testing/src/openssh/scripted-sshd';
import {
  esxcli,
  EsxcliUnknownCommandError,
  EsxiHostPool,
  type EsxiHostTarget,
  HostKeyMismatchError,
  VibNotFoundError,
} from '../src';

// A scripted esxcli: answers like ESXi for the commands this test sends, like ESXi's shell otherwise.
const FAKE_ESXCLI = `#!/bin/sh
case "$*" in
  "system version get")
    printf '   Product: VMware ESXi\\n   Version: 8.0.3\\n   Build: Releasebuild-24022510\\n   Update: 3\\n   Patch: 24\\n' ;;
  "software vib get -n upsmon")
    printf '[NoMatchError]\\n No VIB matching VIB search specification %s.\\n' "'upsmon'"; exit 1 ;;
  *)
    echo "Error: Unknown command or namespace $*" >&2; exit 2 ;;
esac
`;

describe('against a real OpenSSH sshd', { skip: canRunSshd ? false : 'needs root and /usr/sbin/sshd' }, () => {
  let sshd: ScriptedSshd;
  let target: EsxiHostTarget;
  const pool = new EsxiHostPool({ connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 });

  before(async () => {
    sshd = await startScriptedSshd({ commands: { esxcli: FAKE_ESXCLI } });
    target = {
      address: sshd.address,
      port: sshd.port,
      username: 'root',
      auth: { kind: 'privateKey', privateKey: Buffer.from(sshd.clientKey) },
      fingerprint: sshd.fingerprint,
    };
  });

  after(async () => {
    pool.closeAll();
    await sshd?.stop();
  });

  it('logs in with a key, pinned to the fingerprint ssh-keygen prints', async () => {
    const host = pool.get(target);
    assert.deepEqual(await host.connect(), { fingerprint: target.fingerprint, firstContact: false });
  });

  it('refuses the same server under another pinned fingerprint', async () => {
    const other = new EsxiHostPool({ connectTimeoutMs: 5_000 });
    const host = other.get({ ...target, fingerprint: `SHA256:${'A'.repeat(43)}` });
    await assert.rejects(host.exec(['true']), HostKeyMismatchError);
    other.closeAll();
  });

  it('runs the scripted esxcli and parses its output', async () => {
    const version = await esxcli.systemVersionGet(pool.get(target));
    assert.equal(version.version, '8.0.3', sshd.log());
    assert.equal(version.buildNumber, 24022510);
  });

  it('propagates exit codes and maps esxcli errors', async () => {
    const host = pool.get(target);
    assert.equal((await host.exec(['sh', '-c', 'exit 42'])).code, 42);
    await assert.rejects(esxcli.vibGet(host, 'upsmon'), VibNotFoundError);
    await assert.rejects(esxcli.nicList(host), EsxcliUnknownCommandError);
    assert.equal((await host.exec(['false'])).code, 1);
  });

  it('runs one command after another in one shell (the command loop), each with its own stdin and code', async () => {
    const host = pool.get(target);
    // The parent of each command is the loop's shell: the same one for both.
    const first = await host.exec(['sh', '-c', 'echo $PPID']);
    const second = await host.exec(['sh', '-c', 'echo $PPID; echo oops >&2; exit 7']);
    assert.equal(first.stdout, second.stdout);
    assert.deepEqual([second.code, second.stderr], [7, 'oops\n']);
    assert.equal((await host.exec(['cat'])).stdout, '', 'stdin is /dev/null, not the next commands');
  });

  it('uploads a file over SFTP and verifies it with sha256sum', async () => {
    const local = join(sshd.dir, 'upsmon.vib');
    const payload = randomBytes(300_000);
    writeFileSync(local, payload);
    const remote = join(sshd.dir, 'uploaded.vib');
    const result = await pool.get(target).upload(local, remote, { mode: 0o644 });
    assert.equal(result.bytes, payload.length);
    assert.deepEqual(readFileSync(remote), payload);
  });
});
