import { type Socket } from 'node:net';

/**
 * Makes the packets a simulated host sends in one turn of the event loop leave in one write:
 * ssh2 writes each SSH packet on its own (an SFTP status per upload chunk; a command's output,
 * exit status, EOF and close). Thousands of hosts share this process's CPU where real hosts have
 * their own, and a system call per packet made the benches time the simulator's writes.
 */
export function coalesceWrites(socket: Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write(...args);
  }) as Socket['write'];
}
