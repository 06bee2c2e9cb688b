import { connect } from 'node:net';

/**
 * Whether an SSH server greets on address:port within the timeout (`SSH-` identification line,
 * RFC 4253 §4.2). No key exchange, no login: nothing is sent, so a host that came back by itself
 * is seen without a session and without a secret leaving.
 */
export function sshGreets(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let received = '';
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => done(received.startsWith('SSH-')));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.length >= 4) done(received.startsWith('SSH-'));
    });
  });
}
