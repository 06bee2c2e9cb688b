import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AuthenticationError,
  CommandTimeoutError,
  ConnectionLostError,
  ConnectTimeoutError,
  type EsxiHostTarget,
  EsxiHostPool,
  HostKeyMismatchError,
  MissingExitStatusError,
  NoSpaceLeftError,
  OutputTooLargeError,
  UnknownHostKeyError,
  UploadChecksumMismatchError,
} from '../src';
import { KEPT_MAX_BYTES } from '../src/ssh/local-file-content';
import { generateEd25519KeyPair } from '../../testing/src/ssh/ed25519-key-pair';
import { MiniSshServer, reply, runWithShell } from './support/mini-ssh-server';

// Exec channels: most servers here answer each exec request with a handler of their own. The
// command loop has its own tests below, on a real /bin/sh.
const FAST = {
  connectTimeoutMs: 1_500,
  commandTimeoutMs: 3_000,
  idleTimeoutMs: 5_000,
  keepaliveIntervalMs: 1_000,
  commandLoop: false,
};

function passwordTarget(server: MiniSshServer, extra: Partial<EsxiHostTarget> = {}): EsxiHostTarget {
  return {
    ...server.address,
    username: 'root',
    auth: { kind: 'password', password: 'secret' },
    fingerprint: server.fingerprint,
    ...extra,
  };
}

describe('SSH connection to a loopback ssh2 server', () => {
  const pools: EsxiHostPool[] = [];
  const servers: MiniSshServer[] = [];
  const newPool = (settings = {}): EsxiHostPool => {
    const pool = new EsxiHostPool({ ...FAST, ...settings });
    pools.push(pool);
    return pool;
  };
  const newServer = async (options: ConstructorParameters<typeof MiniSshServer>[0] = {}): Promise<MiniSshServer> => {
    const server = await new MiniSshServer({ password: 'secret', ...options }).start();
    servers.push(server);
    return server;
  };
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'nutfleet-esxi-'));
  });
  after(async () => {
    for (const pool of pools) pool.closeAll();
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('authentication', () => {
    it('logs in with a password and returns exit code, stdout and stderr', async () => {
      const server = await newServer();
      const host = newPool().get(passwordTarget(server));
      const result = await host.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.deepEqual(
        { code: result.code, stdout: result.stdout, stderr: result.stderr },
        { code: 3, stdout: 'out\n', stderr: 'err\n' },
      );
      assert.equal(result.command, `'sh' '-c' 'echo out; echo err >&2; exit 3'`);
    });

    it('answers keyboard-interactive with the password, including an empty first round', async () => {
      const server = await newServer({ keyboardInteractive: { emptyRoundFirst: true } });
      const host = newPool().get(passwordTarget(server));
      assert.equal((await host.exec(['true'])).code, 0);
    });

    it('logs in with a private key', async () => {
      const clientKey = generateEd25519KeyPair();
      const server = await newServer({ password: undefined, authorizedKey: clientKey.private });
      const host = newPool().get({
        ...server.address,
        username: 'root',
        auth: { kind: 'privateKey', privateKey: clientKey.private },
        fingerprint: server.fingerprint,
      });
      assert.equal((await host.exec(['echo', 'key'])).stdout, 'key\n');
    });

    it('reports a refused password as AuthenticationError', async () => {
      const server = await newServer();
      const host = newPool().get(passwordTarget(server, { auth: { kind: 'password', password: 'wrong' } }));
      await assert.rejects(
        host.exec(['true']),
        (err: unknown) => err instanceof AuthenticationError && err.host === host.label && !err.retryable,
      );
    });
  });

  describe('host key pinning', () => {
    it('refuses a different key with HostKeyMismatchError naming both fingerprints', async () => {
      const server = await newServer();
      const other = await newServer();
      const host = newPool().get(passwordTarget(server, { fingerprint: other.fingerprint }));
      await assert.rejects(host.exec(['true']), (err: unknown) => {
        assert.ok(err instanceof HostKeyMismatchError);
        assert.equal(err.expectedFingerprint, other.fingerprint);
        assert.equal(err.presentedFingerprint, server.fingerprint);
        assert.equal(err.retryable, false);
        assert.match(err.message, new RegExp(server.fingerprint.replace(/[+/]/g, '\\$&')));
        return true;
      });
      assert.deepEqual(server.commands, []);
    });

    it('refuses an unknown key unless first contact is allowed', async () => {
      const server = await newServer();
      const pool = newPool();
      const unknown = pool.get(passwordTarget(server, { fingerprint: undefined }));
      await assert.rejects(
        unknown.exec(['true']),
        (err: unknown) => err instanceof UnknownHostKeyError && err.presentedFingerprint === server.fingerprint,
      );
      assert.deepEqual(server.commands, []);
    });

    it('trusts a first contact when allowed, reports the key and pins it afterwards', async () => {
      const server = await newServer();
      const learned: string[] = [];
      const pool = new EsxiHostPool(FAST, { onFirstContact: (_host, fp) => learned.push(fp) });
      pools.push(pool);
      const host = pool.get(passwordTarget(server, { fingerprint: undefined, allowFirstContact: true }));
      assert.deepEqual(await host.connect(), { fingerprint: server.fingerprint, firstContact: true });
      assert.deepEqual(learned, [server.fingerprint]);
      assert.equal(host.fingerprint, server.fingerprint);
      // The caller stores the fingerprint and asks again: same host, same connection.
      assert.equal(pool.get(passwordTarget(server)), host);
    });

    it('accepts the pinned key', async () => {
      const server = await newServer();
      const host = newPool().get(passwordTarget(server));
      assert.deepEqual(await host.connect(), { fingerprint: server.fingerprint, firstContact: false });
    });
  });

  describe('timeouts and failures', () => {
    let silent: NetServer;
    const sockets: Socket[] = [];
    before(async () => {
      silent = createServer((sock) => sockets.push(sock));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('gives up with ConnectTimeoutError on a server that accepts TCP but never speaks', async () => {
      const port = (silent.address() as { port: number }).port;
      const host = newPool({ connectTimeoutMs: 300 }).get({
        address: '127.0.0.1',
        port,
        username: 'root',
        auth: { kind: 'password', password: 'x' },
        allowFirstContact: true,
      });
      const started = Date.now();
      await assert.rejects(host.exec(['true']), (err: unknown) => err instanceof ConnectTimeoutError && err.retryable);
      assert.ok(Date.now() - started < 2_000);
    });

    it('abandons a hanging command with CommandTimeoutError and keeps the connection usable', async () => {
      const server = await newServer({
        exec: (command, channel) => (command.includes('hang') ? undefined : reply('ok\n')(command, channel)),
      });
      const host = newPool({ maxChannelsPerConnection: 1 }).get(passwordTarget(server));
      await assert.rejects(
        host.exec(['hang'], { timeoutMs: 200 }),
        (err: unknown) => err instanceof CommandTimeoutError && err.command === `'hang'`,
      );
      assert.equal((await host.exec(['echo'])).stdout, 'ok\n');
    });

    it('treats a channel closed without exit status as a failure, never as code 0', async () => {
      const server = await newServer({ exec: (_command, channel) => channel.end() });
      const host = newPool().get(passwordTarget(server));
      await assert.rejects(
        host.exec(['true']),
        (err: unknown) => err instanceof MissingExitStatusError && err.signal === undefined,
      );
    });

    it('treats a command killed by a signal as a failure', async () => {
      const server = await newServer({
        exec: (_command, channel) => {
          channel.exit('KILL', false, 'killed');
          channel.end();
        },
      });
      const host = newPool().get(passwordTarget(server));
      await assert.rejects(
        host.exec(['true']),
        (err: unknown) => err instanceof MissingExitStatusError && /KILL/.test(err.signal ?? ''),
      );
    });

    it('stops a command whose output exceeds the limit', async () => {
      const server = await newServer({ exec: reply('x'.repeat(10_000)) });
      const host = newPool({ maxOutputBytes: 1_000 }).get(passwordTarget(server));
      await assert.rejects(host.exec(['yes']), OutputTooLargeError);
    });

    it('reports a connection dropped mid-command, then reconnects on the next call', async () => {
      const server = await newServer({
        exec: (command, channel) =>
          command.includes('slow') ? setTimeout(() => server.dropClients(), 50) : runWithShell(command, channel),
      });
      const host = newPool().get(passwordTarget(server));
      await assert.rejects(
        host.exec(['slow']),
        (err: unknown) => err instanceof ConnectionLostError && err.commandMayHaveRun,
      );
      assert.equal((await host.exec(['echo', 'back'])).stdout, 'back\n');
      assert.equal(server.connections, 2);
    });
  });

  describe('connection reuse', () => {
    it('runs many commands over one TCP connection, closes it when idle and reconnects', async () => {
      const server = await newServer();
      const host = newPool({ idleTimeoutMs: 150 }).get(passwordTarget(server));
      const results = await Promise.all(Array.from({ length: 6 }, (_v, i) => host.exec(['echo', String(i)])));
      assert.deepEqual(
        results.map((r) => r.stdout),
        ['0\n', '1\n', '2\n', '3\n', '4\n', '5\n'],
      );
      assert.equal(server.connections, 1);
      assert.equal(host.connected, true);
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(host.connected, false);
      assert.equal((await host.exec(['echo', 'again'])).stdout, 'again\n');
      assert.equal(server.connections, 2);
    });

    it('counts the idle time from the last command, not the first', async () => {
      const server = await newServer();
      const host = newPool({ idleTimeoutMs: 300 }).get(passwordTarget(server));
      await host.exec(['echo', 'one']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await host.exec(['echo', 'two']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(host.connected, true, '400 ms after the first command, 200 ms after the last');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(host.connected, false, 'closed once idle for 300 ms');
      assert.equal(server.connections, 1);
    });

    it('never opens more channels than the cap; extra calls wait their turn', async () => {
      const server = await newServer({
        exec: (command, channel) => setTimeout(() => reply('done\n')(command, channel), 60),
      });
      const host = newPool({ maxChannelsPerConnection: 2 }).get(passwordTarget(server));
      const results = await Promise.all(Array.from({ length: 7 }, () => host.exec(['work'])));
      assert.equal(
        results.every((r) => r.code === 0),
        true,
      );
      assert.equal(server.peakChannels, 2);
      assert.equal(server.connections, 1);
    });
  });

  describe('command loop (a real /bin/sh reading commands from stdin)', () => {
    const loopPool = (settings = {}): EsxiHostPool => newPool({ commandLoop: true, ...settings });

    it('runs one command after another through one channel, with exit codes, stdout and stderr', async () => {
      const server = await newServer();
      const host = loopPool().get(passwordTarget(server));
      const hostile = `it's "x" $(id) \`id\`; a | b && c héllo ✓`;
      const first = await host.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
      assert.deepEqual([first.code, first.stdout, first.stderr], [3, 'out\n', 'err\n']);
      const echoed = await host.exec(['printf', '%s', hostile]);
      assert.deepEqual([echoed.code, echoed.stdout, echoed.stderr], [0, hostile, '']);
      // A command reading stdin gets /dev/null, not the loop's next lines.
      assert.equal((await host.exec(['cat'])).stdout, '');
      assert.equal((await host.exec(['echo', 'still here'])).stdout, 'still here\n');
      assert.equal(server.loops, 1);
      assert.deepEqual(server.commands, [], 'no exec channel of its own for any of them');
      assert.equal(server.loopCommands.length, 4);
    });

    it('runs a command that finds the loop busy on an exec channel of its own, at the same time', async () => {
      const server = await newServer();
      const host = loopPool().get(passwordTarget(server));
      await host.exec(['true']);
      const began = Date.now();
      const [slow, quick] = await Promise.all([host.exec(['sleep', '0.5']), host.exec(['echo', 'quick'])]);
      assert.equal(slow.code, 0);
      assert.equal(quick.stdout, 'quick\n');
      assert.ok(Date.now() - began < 1_000, 'ran side by side');
      assert.equal(server.loops, 1);
      assert.equal(server.commands.length, 1);
    });

    it('abandons a hanging command with CommandTimeoutError, then opens a new loop', async () => {
      const server = await newServer();
      const host = loopPool().get(passwordTarget(server));
      await assert.rejects(host.exec(['sleep', '30'], { timeoutMs: 300 }), CommandTimeoutError);
      assert.equal((await host.exec(['echo', 'ok'])).stdout, 'ok\n');
      assert.equal(server.loops, 2);
    });

    it('on a host whose shell does not serve the loop, every command still runs, then loops are no longer tried', async () => {
      // stdin ignored: the loop's first `read` fails and its shell exits at once.
      const server = await newServer({
        exec: (command, channel) => {
          const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
          child.stdout.on('data', (chunk: Buffer) => channel.write(chunk));
          child.on('close', (code) => {
            channel.exit(code ?? 255);
            channel.end();
          });
        },
      });
      const host = loopPool().get(passwordTarget(server));
      for (const word of ['a', 'b', 'c', 'd']) assert.equal((await host.exec(['echo', word])).stdout, `${word}\n`);
      assert.equal(server.loops, 2);
      assert.deepEqual(server.commands, ["'echo' 'a'", "'echo' 'b'", "'echo' 'c'", "'echo' 'd'"]);
    });

    it('a connection found dead before the loop answered is a command that never started: sent again on a new connection', async () => {
      const server = await newServer();
      const host = loopPool().get(passwordTarget(server));
      await host.exec(['true']);
      server.dropClients();
      assert.equal((await host.exec(['echo', 'again'])).stdout, 'again\n');
      assert.equal(server.connections, 2);
    });
  });

  describe('beforeSend (a write-ahead mark made right before the line leaves)', () => {
    it('on the loop: made once the shell answered, before the line; a mark that fails keeps the command from the host', async () => {
      const server = await newServer();
      const host = newPool({ commandLoop: true }).get(passwordTarget(server));
      await host.exec(['true']);
      const seen: number[] = [];
      const ran = await host.exec(['echo', 'marked'], {
        beforeSend: async () => {
          seen.push(server.loopCommands.length);
          await new Promise((resolve) => setTimeout(resolve, 50));
          seen.push(server.loopCommands.length);
        },
      });
      assert.equal(ran.stdout, 'marked\n');
      assert.deepEqual(seen, [1, 1], 'the line was not on the host while the mark was being made');
      assert.equal(server.loopCommands.length, 2);

      const refused = new Error('mark not saved');
      await assert.rejects(
        host.exec(['echo', 'never'], { beforeSend: () => Promise.reject(refused) }),
        (error) => error === refused,
      );
      assert.equal((await host.exec(['echo', 'next'])).stdout, 'next\n');
      assert.ok(
        !server.loopCommands.some((line) => line.includes('never')),
        'the refused command never reached the host',
      );
      assert.deepEqual(server.commands, []);
    });

    it('on an exec channel: made before the channel opens; once only when a dead connection makes the command go again', async () => {
      const server = await newServer();
      const host = newPool().get(passwordTarget(server));
      await host.exec(['true']);
      server.dropClients();
      const seen: number[] = [];
      const ran = await host.exec(['echo', 'again'], {
        beforeSend: () => {
          seen.push(server.commands.length);
          return Promise.resolve();
        },
      });
      assert.equal(ran.stdout, 'again\n');
      assert.deepEqual(seen, [1], 'one mark, made before the command reached the host');
      assert.equal(server.connections, 2);
    });
  });

  describe('upload', () => {
    const payload = randomBytes(200_000);
    const local = (): string => {
      const path = join(tmp, 'payload.vib');
      writeFileSync(path, payload);
      return path;
    };

    it('uploads over SFTP and checks sha256 on the host', async () => {
      const server = await newServer();
      const host = newPool().get(passwordTarget(server));
      const remote = join(tmp, 'remote-ok.vib');
      const result = await host.upload(local(), remote);
      assert.equal(result.bytes, payload.length);
      assert.deepEqual(readFileSync(remote), payload);
      assert.ok(server.commands.includes(`'sha256sum' '${remote}'`));
    });

    it('detects a corrupted upload', async () => {
      const server = await newServer({ sftpFault: 'corrupt' });
      const host = newPool().get(passwordTarget(server));
      await assert.rejects(
        host.upload(local(), join(tmp, 'remote-bad.vib')),
        (err: unknown) => err instanceof UploadChecksumMismatchError && err.host === host.label,
      );
    });

    it('a file changed since the last upload: the new bytes go out, with their own checksum', async () => {
      const server = await newServer();
      const host = newPool().get(passwordTarget(server));
      const path = join(tmp, 'changing.vib');
      writeFileSync(path, payload);
      const first = await host.upload(path, join(tmp, 'remote-first.vib'));
      const changed = Buffer.concat([payload, Buffer.from('v2')]);
      writeFileSync(path, changed);
      const second = await host.upload(path, join(tmp, 'remote-second.vib'));
      assert.deepEqual(readFileSync(join(tmp, 'remote-second.vib')), changed);
      assert.notEqual(second.sha256, first.sha256);
      assert.equal(second.bytes, changed.length);
    });

    it('a file larger than what is held in memory is streamed from disk, with the same checks', async () => {
      const server = await newServer();
      const host = newPool().get(passwordTarget(server));
      const big = randomBytes(KEPT_MAX_BYTES + 100_000);
      const path = join(tmp, 'big.vib');
      writeFileSync(path, big);
      const remote = join(tmp, 'remote-big.vib');
      const result = await host.upload(path, remote);
      assert.equal(result.bytes, big.length);
      assert.equal(result.sha256, createHash('sha256').update(big).digest('hex'));
      assert.deepEqual(readFileSync(remote), big);
    });

    it('maps a full disk to NoSpaceLeftError', async () => {
      const server = await newServer({ sftpFault: 'noSpace' });
      const host = newPool().get(passwordTarget(server));
      await assert.rejects(host.upload(local(), join(tmp, 'remote-full.vib')), NoSpaceLeftError);
    });
  });
});
