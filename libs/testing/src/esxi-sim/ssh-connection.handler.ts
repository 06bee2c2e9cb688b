/**
 * One SSH client connection to a simulated host: authentication the way ESXi's sshd offers it
 * (password, keyboard-interactive "Password: ", publickey), exec requests and the SFTP
 * subsystem. Interactive shells are refused: nutfleet only ever uses exec.
 */
import { utils, type AuthContext, type Connection, type ParsedKey } from 'ssh2';
import type { SshAuthMethod } from './host-profile';
import { serveSftp, type SftpHostSide } from './sftp-session.handler';
import type { Socket } from 'node:net';
import type { ServerChannel } from 'ssh2';

export interface SshHostSide extends SftpHostSide {
  readonly username: string;
  readonly password: string;
  readonly authMethods: readonly SshAuthMethod[];
  readonly authorizedKeys: readonly ParsedKey[];
  authFails(): boolean;
  exec(line: string, channel: ServerChannel, connectionId: number, socket: Socket): void;
}

export function parseAuthorizedKeys(lines: readonly string[]): ParsedKey[] {
  return lines.map((line) => {
    const parsed = utils.parseKey(line);
    if (parsed instanceof Error) throw new Error(`invalid authorized key: ${parsed.message}`);
    return parsed;
  });
}

function authenticate(host: SshHostSide, ctx: AuthContext): void {
  const methods = [...host.authMethods];
  const reject = (): void => ctx.reject(methods);
  if (host.authFails() || ctx.username !== host.username || !(methods as string[]).includes(ctx.method))
    return reject();
  switch (ctx.method) {
    case 'password':
      return ctx.password === host.password ? ctx.accept() : reject();
    case 'keyboard-interactive':
      return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) =>
        answers[0] === host.password ? ctx.accept() : reject(),
      );
    case 'publickey': {
      const key = host.authorizedKeys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
      if (!key) return reject();
      if (!ctx.signature) return ctx.accept();
      return ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) ? ctx.accept() : reject();
    }
    default:
      return reject();
  }
}

export function attachSshConnection(host: SshHostSide, client: Connection, socket: Socket, connectionId: number): void {
  client.on('error', () => undefined);
  client.on('authentication', (ctx) => authenticate(host, ctx));
  client.on('ready', () => {
    client.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('pty', (accept) => accept?.());
      session.on('env', (accept) => accept?.());
      session.on('shell', (_accept, reject) => reject());
      session.on('exec', (accept, _reject, info) => host.exec(info.command, accept(), connectionId, socket));
      session.on('sftp', (accept) => serveSftp(accept(), host));
    });
  });
}
