import { type SFTPWrapper } from 'ssh2';

/**
 * Below the smallest SFTP write a server takes whole: ssh2 splits larger writes and sends the
 * rest only once the first part is acknowledged (servers that are not OpenSSH take ~31.9 KB).
 */
const CHUNK_BYTES = 31 * 1024;
/** Requests outstanding at once, as ssh2's fastPut keeps them. */
const REQUESTS_IN_FLIGHT = 64;

/**
 * Writes `content` to `remotePath` (created or truncated) with the writes pipelined, then
 * closes it; `mode` is set on the open file as fastPut does, so an existing file gets it too.
 */
export function writeBufferOverSftp(
  sftp: SFTPWrapper,
  content: Buffer,
  remotePath: string,
  mode: number | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.open(remotePath, 'w', (openError, handle) => {
      if (openError) {
        reject(openError);
        return;
      }
      let next = 0;
      let inFlight = 0;
      let failure: Error | undefined;
      const settle = (): void => {
        if (inFlight > 0 || (failure === undefined && next < content.length)) return;
        sftp.close(handle, (closeError) => {
          const error = failure ?? closeError;
          if (error) reject(error);
          else resolve();
        });
      };
      const done = (error: Error | null | undefined): void => {
        inFlight -= 1;
        failure ??= error ?? undefined;
        pump();
        settle();
      };
      const pump = (): void => {
        while (failure === undefined && inFlight < REQUESTS_IN_FLIGHT && next < content.length) {
          const at = next;
          const length = Math.min(CHUNK_BYTES, content.length - at);
          next += length;
          inFlight += 1;
          sftp.write(handle, content, at, length, at, done);
        }
      };
      if (mode !== undefined) {
        inFlight += 1;
        sftp.fchmod(handle, mode, done);
      }
      pump();
      settle();
    });
  });
}
