import { type AddressInfo, createServer, type Server as NetServer, type Socket } from 'node:net';

import { type Connection, Server as SshServer } from 'ssh2';

import { createEd25519HostKey } from '@nutfleet/testing';

/** A server an attacker controls on loopback, recording what it receives. */
export interface RogueServer {
  readonly port: number;
  /** Everything received: SSH passwords tried, NUT lines. */
  readonly received: string[];
  close(): Promise<void>;
}

function listen(server: NetServer | SshServer, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * A TCP server that hands each received line (or raw chunk, with `lines: false`) to `answer`,
 * records it, and writes back what `answer` returns.
 */
async function tcpListener(host: string, answer: (line: string) => string | null, lines = true): Promise<RogueServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      const parts = lines ? buffered.split('\n') : [buffered, ''];
      buffered = parts.pop() ?? '';
      for (const part of parts) {
        received.push(part);
        const reply = answer(part);
        if (reply !== null) socket.write(reply);
      }
    });
  });
  const port = await listen(server, host);
  return {
    port,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An SSH server that records every password and key offered to it, and accepts none. */
export async function startRogueSshServer(host = '127.0.0.1'): Promise<RogueServer & { fingerprint: string }> {
  const key = createEd25519HostKey();
  const received: string[] = [];
  const clients = new Set<Connection>();
  const server = new SshServer({ hostKeys: [key.privateKey] }, (client) => {
    clients.add(client);
    client.on('error', () => undefined);
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password') received.push(`password:${ctx.password}`);
      else if (ctx.method === 'publickey') received.push(`publickey:${ctx.key.data.toString('base64')}`);
      else if (ctx.method === 'keyboard-interactive')
        return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
          received.push(`keyboard:${answers.join(',')}`);
          ctx.reject();
        });
      ctx.reject(['password', 'publickey', 'keyboard-interactive']);
    });
  });
  const port = await listen(server, host);
  return {
    port,
    received,
    fingerprint: key.fingerprint,
    close: () =>
      new Promise((resolve) => {
        for (const client of clients) client.end();
        server.close(() => resolve());
      }),
  };
}

/**
 * Speaks enough NUT to pass for upsd (VER, PROTVER, LIST UPS, LIST VAR, OK to the rest; no
 * STARTTLS) and records every line: a password sent to it is in `received`.
 */
export function startRogueNutServer(host = '127.0.0.1'): Promise<RogueServer> {
  return tcpListener(host, nutReply);
}

function nutReply(line: string): string {
  const words = line.split(' ');
  if (words[0] === 'STARTTLS') return 'ERR FEATURE-NOT-CONFIGURED\n';
  if (words[0] === 'VER') return 'Network UPS Tools upsd 2.8.1 - https://networkupstools.org/\n';
  if (words[0] === 'PROTVER' || words[0] === 'NETVER') return '1.3\n';
  if (line === 'LIST UPS') return 'BEGIN LIST UPS\nUPS ups1 "rogue"\nEND LIST UPS\n';
  if (words[0] === 'LIST' && words[1] === 'VAR') {
    const ups = words[2] ?? 'ups1';
    return `BEGIN LIST VAR ${ups}\nVAR ${ups} ups.status "OL"\nVAR ${ups} battery.charge "100"\nEND LIST VAR ${ups}\n`;
  }
  return 'OK\n';
}

/** A Redis-like listener: silent until spoken to, then Redis's error for an unknown command, per line. */
export function startRedisLikeListener(host = '127.0.0.1'): Promise<RogueServer> {
  return tcpListener(host, (line) =>
    line.trim() === ''
      ? null
      : `-ERR unknown command '${line.trim().split(' ')[0] ?? ''}', with args beginning with: REDIS-SECRET-BANNER\r\n`,
  );
}

/** Accepts connections and never says anything (a filtered-looking service). */
export function startSilentListener(host = '127.0.0.1'): Promise<RogueServer> {
  return tcpListener(host, () => null, false);
}
