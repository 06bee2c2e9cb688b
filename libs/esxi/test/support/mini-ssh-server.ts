import { generateEd25519KeyPair } from '../../../testing/src/ssh/ed25519-key-pair';
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { timingSafeEqual } from 'node:crypto';
import { type Connection, type ParsedKey, Server, type ServerChannel, type SFTPWrapper, utils } from 'ssh2';
import { hostKeyFingerprint } from '../../src/host-key-fingerprint';
import { COMMAND_LOOP_SCRIPT } from '../../src/ssh/command-loop';

/** A command handler: write to the channel, then exit and end it (or misbehave on purpose). */
export type ExecHandler = (command: string, channel: ServerChannel) => void;

export interface MiniSshServerOptions {
  readonly username?: string;
  readonly password?: string;
  /** Offer keyboard-interactive instead of password; `emptyRoundFirst` sends a zero-prompt round first. */
  readonly keyboardInteractive?: boolean | { readonly emptyRoundFirst: boolean };
  /** Key accepted for publickey auth (OpenSSH text; the private half works too and parses more reliably). */
  readonly authorizedKey?: string;
  /** Defaults to running the line with /bin/sh on this machine. */
  readonly exec?: ExecHandler;
  /** SFTP fault: flip a byte of the written file, or fail writes as a full disk does. */
  readonly sftpFault?: 'corrupt' | 'noSpace';
}

/**
 * A small ssh2 server on 127.0.0.1 for the connection tests: one host key, one user, commands
 * run by a local /bin/sh (or a handler), SFTP writes to the local disk. Counts TCP connections
 * and the peak of simultaneously open exec channels.
 */
export class MiniSshServer {
  readonly hostKey = generateEd25519KeyPair();
  readonly fingerprint: string;
  /** Exec requests, other than command loops. */
  readonly commands: string[] = [];
  /** Lines run through command loops, and how many loops were opened. */
  readonly loopCommands: string[] = [];
  loops = 0;
  connections = 0;
  openChannels = 0;
  peakChannels = 0;
  private readonly server: Server;
  private readonly clients = new Set<Connection>();
  private port = 0;

  constructor(private readonly options: MiniSshServerOptions = {}) {
    // Parsed from the private half: ssh2 now and then rejects the public text it generated itself.
    this.fingerprint = hostKeyFingerprint(parseKey(this.hostKey.private).getPublicSSH());
    this.server = new Server({ hostKeys: [this.hostKey.private] }, (client) => this.onClient(client));
  }

  get address(): { address: string; port: number } {
    return { address: '127.0.0.1', port: this.port };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Drops every client connection at once, as a network failure would. */
  dropClients(): void {
    for (const client of this.clients) client.end();
  }

  async stop(): Promise<void> {
    this.dropClients();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onClient(client: Connection): void {
    this.connections += 1;
    this.clients.add(client);
    client.on('close', () => this.clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      const username = this.options.username ?? 'root';
      const password = this.options.password ?? 'secret';
      const methods: Array<'password' | 'keyboard-interactive' | 'publickey'> = [];
      if (this.options.authorizedKey) methods.push('publickey');
      if (this.options.keyboardInteractive) methods.push('keyboard-interactive');
      else if (this.options.password !== undefined) methods.push('password');

      if (ctx.username !== username) return ctx.reject(methods);
      if (ctx.method === 'password' && methods.includes('password')) {
        return ctx.password === password ? ctx.accept() : ctx.reject(methods);
      }
      if (ctx.method === 'keyboard-interactive' && methods.includes('keyboard-interactive')) {
        const ask = (): void =>
          ctx.prompt([{ prompt: 'Password: ', echo: false }], 'ESXi', (answers) =>
            answers[0] === password ? ctx.accept() : ctx.reject(methods),
          );
        const kbd = this.options.keyboardInteractive;
        if (typeof kbd === 'object' && kbd.emptyRoundFirst) return ctx.prompt([], 'Banner', () => ask());
        return ask();
      }
      if (ctx.method === 'publickey' && this.options.authorizedKey) {
        const allowed = parseKey(this.options.authorizedKey);
        const presented = ctx.key.data;
        const wanted = allowed.getPublicSSH();
        if (
          ctx.key.algo !== allowed.type ||
          presented.length !== wanted.length ||
          !timingSafeEqual(presented, wanted)
        ) {
          return ctx.reject(methods);
        }
        if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
          return ctx.reject(methods);
        return ctx.accept();
      }
      return ctx.reject(methods);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const channel = accept();
          if (info.command === COMMAND_LOOP_SCRIPT) this.tapLoop(channel);
          else this.commands.push(info.command);
          this.openChannels += 1;
          this.peakChannels = Math.max(this.peakChannels, this.openChannels);
          // ssh2 server channels emit 'finish' once the reply is sent, not always 'close'.
          let counted = true;
          const uncount = (): void => {
            if (counted) this.openChannels -= 1;
            counted = false;
          };
          channel.on('finish', uncount).on('close', uncount);
          (this.options.exec ?? runWithShell)(info.command, channel);
        });
        session.on('sftp', (accept) => this.serveSftp(accept()));
      });
    });
  }

  /** Records the command lines a loop receives (each follows a marker line). */
  private tapLoop(channel: ServerChannel): void {
    this.loops += 1;
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let lineIsCommand = false;
    channel.on('data', (chunk: Buffer) => {
      pending += decoder.write(chunk);
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        if (lineIsCommand) this.loopCommands.push(pending.slice(0, end));
        lineIsCommand = !lineIsCommand;
        pending = pending.slice(end + 1);
      }
    });
  }

  private serveSftp(sftp: SFTPWrapper): void {
    const files = new Map<number, { fd: number; wrote: boolean }>();
    let nextHandle = 1;
    const handleOf = (buf: Buffer): number => buf.readUInt32BE(0);
    const fault = this.options.sftpFault;
    sftp.on('OPEN', (reqid, filename) => {
      try {
        const fd = openSync(filename, 'w');
        const handle = Buffer.alloc(4);
        handle.writeUInt32BE(nextHandle);
        files.set(nextHandle++, { fd, wrote: false });
        sftp.handle(reqid, handle);
      } catch {
        sftp.status(reqid, utils.sftp.STATUS_CODE.NO_SUCH_FILE, 'No such file');
      }
    });
    sftp.on('WRITE', (reqid, handle, offset, data) => {
      const file = files.get(handleOf(handle));
      if (!file) return sftp.status(reqid, utils.sftp.STATUS_CODE.FAILURE, 'bad handle');
      if (fault === 'noSpace') return sftp.status(reqid, utils.sftp.STATUS_CODE.FAILURE, 'No space left on device');
      const bytes = Buffer.from(data);
      if (fault === 'corrupt' && !file.wrote && bytes.length > 0) bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      file.wrote = true;
      writeSync(file.fd, bytes, 0, bytes.length, offset);
      return sftp.status(reqid, utils.sftp.STATUS_CODE.OK);
    });
    sftp.on('FSTAT', (reqid, handle) => {
      const file = files.get(handleOf(handle));
      if (!file) return sftp.status(reqid, utils.sftp.STATUS_CODE.FAILURE, 'bad handle');
      const st = fstatSync(file.fd);
      return sftp.attrs(reqid, { mode: st.mode, uid: 0, gid: 0, size: st.size, atime: 0, mtime: 0 });
    });
    sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, utils.sftp.STATUS_CODE.OK));
    sftp.on('SETSTAT', (reqid) => sftp.status(reqid, utils.sftp.STATUS_CODE.OK));
    sftp.on('CLOSE', (reqid, handle) => {
      const file = files.get(handleOf(handle));
      if (file) {
        fsyncSync(file.fd);
        closeSync(file.fd);
        files.delete(handleOf(handle));
      }
      sftp.status(reqid, utils.sftp.STATUS_CODE.OK);
    });
  }
}

function parseKey(text: string): ParsedKey {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error('no key in text');
  return key;
}

/** Runs the line with the local /bin/sh, as ESXi's busybox sh would. */
export function runWithShell(command: string, channel: ServerChannel): void {
  // stdin from the channel, as sshd gives it (a command loop reads its commands there).
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  channel.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (chunk: Buffer) => channel.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => channel.stderr.write(chunk));
  child.on('close', (code) => {
    channel.exit(code ?? 255);
    channel.end();
  });
  channel.on('close', () => child.kill('SIGKILL'));
}

/** Replies with fixed output and exit code. */
export function reply(stdout: string, code = 0, stderr = ''): ExecHandler {
  return (_command, channel) => {
    if (stdout) channel.write(stdout);
    if (stderr) channel.stderr.write(stderr);
    channel.exit(code);
    channel.end();
  };
}
