import { Socket } from 'node:net';

import { HostKeyMismatchError } from '@nutfleet/esxi';

import { HostAccessError } from '../../hosts/host-connector.errors';

/** Does anything accept a TCP connection on address:port within `timeoutMs`? */
export function tcpAnswers(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.connect(port, address);
  });
}

/** Errors that waiting cannot fix: an operator must act (trust, credentials, inventory). */
export function needsOperator(error: unknown): boolean {
  return error instanceof HostAccessError || error instanceof HostKeyMismatchError;
}

/** Backoff between attempts while a host boots: 1 s, 2 s, 4 s… capped at `maxMs`. */
export function backoffMs(attempt: number, maxMs = 10_000): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt), maxMs);
}
