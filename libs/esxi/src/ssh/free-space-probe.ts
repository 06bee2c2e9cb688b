import { posix } from 'node:path';
import { type ExecOptions, type ExecResult } from './ssh-connection';

interface ProbeTarget {
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

/**
 * Bytes free for `path`'s directory, from busybox `stat -f` (ESXi has it); undefined when the
 * host cannot tell. Needed because OpenSSH's sftp-server, which ESXi runs, answers a full disk
 * with a bare SSH_FX_FAILURE "Failure" like any other unexpected errno.
 */
export async function freeBytesAt(host: ProbeTarget, path: string, timeoutMs: number): Promise<number | undefined> {
  try {
    const result = await host.exec(['stat', '-f', '-c', '%a %S', posix.dirname(path)], { timeoutMs });
    const match = /^(\d+) (\d+)\s*$/.exec(result.stdout);
    if (result.code !== 0 || !match) return undefined;
    return Number(match[1]) * Number(match[2]);
  } catch {
    return undefined;
  }
}
