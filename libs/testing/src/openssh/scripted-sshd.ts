/**
 * A real OpenSSH `sshd` on loopback whose sessions find scripted ESXi commands (`esxcli`,
 * `vim-cmd`, ...) first on their PATH: the transport, quoting, exit codes and stderr of a real
 * server, with outputs a test chooses. Needs root and Debian's openssh-server (`canRunSshd`).
 *
 *   const sshd = await startScriptedSshd({ commands: { esxcli: '#!/bin/sh\ncase "$*" in ...' } });
 *   pool.get({ address: sshd.address, port: sshd.port, username: 'root',
 *              auth: { kind: 'privateKey', privateKey: sshd.clientKey }, fingerprint: sshd.fingerprint });
 *   await sshd.stop();
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SSHD = '/usr/sbin/sshd';

/** True where a test may start sshd (root, openssh-server installed). */
export const canRunSshd = existsSync(SSHD) && process.getuid?.() === 0;

export interface ScriptedSshdOptions {
  /** File name → script text (with its `#!/bin/sh` line), installed executable first on the PATH. */
  readonly commands: Readonly<Record<string, string>>;
}

export interface ScriptedSshd {
  readonly address: '127.0.0.1';
  readonly port: number;
  /** `SHA256:...` of the server's host key, as ssh-keygen prints it. */
  readonly fingerprint: string;
  /** OpenSSH private key (PEM text) that the server accepts for any user. */
  readonly clientKey: string;
  /** A scratch directory the sessions can write to (uploads). */
  readonly dir: string;
  /** What sshd wrote to stderr (errors only). */
  log(): string;
  stop(): Promise<void>;
}

export async function startScriptedSshd(options: ScriptedSshdOptions): Promise<ScriptedSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'nutfleet-sshd-'));
  const keygen = (file: string): void => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'nutfleet-test', '-f', join(dir, file)]);
  };
  keygen('host_key');
  keygen('client_key');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  mkdirSync(join(dir, 'bin'));
  for (const [name, script] of Object.entries(options.commands)) {
    writeFileSync(join(dir, 'bin', name), script);
    chmodSync(join(dir, 'bin', name), 0o755);
  }
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
      // Puts the scripted commands first on the PATH of every session, without a ForceCommand.
      // HOME is the scratch dir: sshd runs each command through root's login shell, and bash
      // would source this machine's ~/.bashrc (pyenv and the like, 0.5 s per command here, far
      // more under load), which an ESXi host's shell never does.
      `SetEnv PATH=${join(dir, 'bin')}:/usr/bin:/bin HOME=${dir}`,
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  // sshd refuses to start without its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const sshd: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  sshd.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => sshd.once('exit', () => resolve()));
  try {
    await waitForPort(port, 5_000);
  } catch (error) {
    sshd.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}; sshd said: ${log}`);
  }
  const fingerprint =
    execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(
      ' ',
    )[1] ?? '';
  return {
    address: '127.0.0.1',
    port,
    fingerprint,
    clientKey: readFileSync(join(dir, 'client_key'), 'utf8'),
    dir,
    log: () => log,
    async stop() {
      sshd.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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

/** What a scripted command prints for one exact argument line. */
export interface ScriptedReply {
  readonly stdout?: string;
  readonly stderr?: string;
  /** Default 0. */
  readonly code?: number;
}

/**
 * A `/bin/sh` script answering each exact argument line (`"$*"`, e.g. "system version get") with
 * its reply, and any other line with `otherwise` (default: "Unknown command" on stderr, exit 1).
 */
export function scriptedCommand(
  replies: Readonly<Record<string, ScriptedReply>>,
  otherwise: ScriptedReply = { stderr: 'Unknown command: $*\n', code: 1 },
): string {
  const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
  // printf '%s' with single-quoted text: no expansion, any bytes but NUL, line breaks included.
  const print = (reply: ScriptedReply, expand: boolean): string[] => {
    const text = (t: string): string => (expand ? `"${t.replace(/(["\\`])/g, '\\$1')}"` : quote(t));
    return [
      ...(reply.stdout ? [`printf '%s' ${text(reply.stdout)}`] : []),
      ...(reply.stderr ? [`printf '%s' ${text(reply.stderr)} >&2`] : []),
      `exit ${reply.code ?? 0}`,
    ];
  };
  const branches = Object.entries(replies).map(
    ([args, reply]) => `  ${quote(args)})\n    ${print(reply, false).join('\n    ')} ;;`,
  );
  return [
    '#!/bin/sh',
    'case "$*" in',
    ...branches,
    `  *)\n    ${print(otherwise, true).join('\n    ')} ;;`,
    'esac',
    '',
  ].join('\n');
}
