import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { esxcli, EsxiHostPool, type EsxiHostTarget, HostKeyMismatchError, VibNotFoundError } from '../src';

const SSHD = '/usr/sbin/sshd';
const canRun = existsSync(SSHD) && process.getuid?.() === 0;

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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port} within ${deadlineMs} ms`);
}

describe('against a real OpenSSH sshd', { skip: canRun ? false : 'needs root and /usr/sbin/sshd' }, () => {
  let dir = '';
  let sshd: ChildProcess | undefined;
  let sshdLog = '';
  let target: EsxiHostTarget;
  const pool = new EsxiHostPool({ connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nutfleet-sshd-'));
    const keygen = (file: string): void => {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nutfleet-test', '-f', join(dir, file)]);
    };
    keygen('host_key');
    keygen('client_key');
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'esxcli'), FAKE_ESXCLI);
    chmodSync(join(dir, 'bin', 'esxcli'), 0o755);
    const port = await freePort();
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'UsePAM no',
        'PermitRootLogin yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        // The temp dir is world-readable; sshd would otherwise refuse the keys in it.
        'StrictModes no',
        // Puts the fake esxcli first on the PATH of every session, without a ForceCommand.
        `SetEnv PATH=${join(dir, 'bin')}:/usr/bin:/bin`,
        'Subsystem sftp internal-sftp',
        'LogLevel ERROR',
      ].join('\n') + '\n',
    );
    // sshd refuses to start without its privilege-separation directory.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr?.on('data', (chunk: Buffer) => (sshdLog += chunk.toString()));
    await waitForPort(port, 5_000);
    const fingerprint =
      execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(
        ' ',
      )[1] ?? '';
    target = {
      address: '127.0.0.1',
      port,
      username: 'root',
      auth: { kind: 'privateKey', privateKey: readFileSync(join(dir, 'client_key')) },
      fingerprint,
    };
  });

  after(() => {
    pool.closeAll();
    sshd?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
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
    assert.equal(version.version, '8.0.3', sshdLog);
    assert.equal(version.buildNumber, 24022510);
  });

  it('propagates exit codes and maps esxcli errors', async () => {
    const host = pool.get(target);
    assert.equal((await host.exec(['sh', '-c', 'exit 42'])).code, 42);
    await assert.rejects(esxcli.vibGet(host, 'upsmon'), VibNotFoundError);
    await assert.rejects(esxcli.nicList(host), (err: unknown) => err instanceof Error && err.name === 'EsxcliError');
    assert.equal((await host.exec(['false'])).code, 1);
  });

  it('uploads a file over SFTP and verifies it with sha256sum', async () => {
    const local = join(dir, 'upsmon.vib');
    const payload = randomBytes(300_000);
    writeFileSync(local, payload);
    const remote = join(dir, 'uploaded.vib');
    const result = await pool.get(target).upload(local, remote, { mode: 0o644 });
    assert.equal(result.bytes, payload.length);
    assert.deepEqual(readFileSync(remote), payload);
  });
});
