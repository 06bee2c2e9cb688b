import { type SFTPWrapper } from 'ssh2';
import {
  CommandFailedError,
  CommandTimeoutError,
  EsxiError,
  NoSpaceLeftError,
  UnexpectedOutputError,
  UploadChecksumMismatchError,
  UploadError,
} from '../esxi-errors';
import { freeBytesAt } from './free-space-probe';
import { type LocalFileContent, localFileContent } from './local-file-content';
import { writeBufferOverSftp } from './sftp-buffer-write';
import { type ExecOptions, type ExecResult } from './ssh-connection';

export interface UploadOptions {
  /** Permission bits of the remote file, e.g. 0o644. */
  readonly mode?: number;
  /** Transfer plus checksum; defaults to the host's `uploadTimeoutMs`. */
  readonly timeoutMs?: number;
}

export interface UploadResult {
  readonly remotePath: string;
  readonly bytes: number;
  /** Hex sha256, identical locally and on the host. */
  readonly sha256: string;
}

/** What an upload needs from a host; kept narrow so the host and this file do not import each other. */
export interface UploadTarget {
  readonly label: string;
  withSftp<T>(work: (sftp: SFTPWrapper) => Promise<T>): Promise<T>;
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult & { readonly command: string }>;
}

// SFTP status codes (draft-ietf-secsh-filexfer); 14 and 15 exist from protocol v5 only. Servers
// speaking v3 report a full disk as FAILURE: OpenSSH's (ESXi's) with the bare text "Failure".
const SFTP_NO_SUCH_FILE = 2;
const SFTP_FAILURE = 4;
const SFTP_PERMISSION_DENIED = 3;
const SFTP_NO_SPACE = 14;
const SFTP_QUOTA_EXCEEDED = 15;
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Uploads a local file over SFTP, then runs `sha256sum` on the host (busybox has it on ESXi) and
 * compares with the local file's hash: a truncated or corrupted copy never passes silently. A file
 * up to KEPT_MAX_BYTES is read and hashed once for every host and written from memory; a larger
 * one is streamed from disk.
 */
export async function uploadWithChecksum(
  host: UploadTarget,
  localPath: string,
  remotePath: string,
  options: UploadOptions & { readonly timeoutMs: number },
): Promise<UploadResult> {
  const context = { host: host.label, command: `sftp put ${remotePath}` };
  const deadline = Date.now() + options.timeoutMs;
  const local = await readLocalFile(localPath, remotePath, context);
  const { size: bytes, sha256 } = local;

  try {
    await withTimeout(
      host.withSftp((sftp) =>
        local.bytes !== undefined
          ? writeBufferOverSftp(sftp, local.bytes, remotePath, options.mode)
          : new Promise<void>((resolve, reject) => {
              const putOptions = options.mode === undefined ? {} : { mode: options.mode };
              sftp.fastPut(localPath, remotePath, putOptions, (err) => (err ? reject(err) : resolve()));
            }),
      ),
      options.timeoutMs,
      context,
    );
  } catch (err) {
    throw await explainTransferError(host, err, remotePath, bytes, context);
  }

  const check = await host.exec(['sha256sum', remotePath], { timeoutMs: Math.max(1_000, deadline - Date.now()) });
  if (check.code !== 0) {
    throw new CommandFailedError(
      check.code,
      check.stdout,
      check.stderr,
      { host: host.label, command: check.command },
      'cannot checksum the uploaded file',
    );
  }
  // GNU sha256sum prefixes a backslash when the name holds a newline or backslash; busybox does not.
  const remoteSha = /^\\?([0-9a-f]{64})\s/i.exec(check.stdout)?.[1]?.toLowerCase();
  if (remoteSha === undefined) {
    throw new UnexpectedOutputError(check.stdout, {
      host: host.label,
      command: check.command,
      cause: new Error('sha256sum did not print a hash'),
    });
  }
  if (remoteSha !== sha256) {
    throw new UploadChecksumMismatchError(remotePath, sha256, remoteSha, { host: host.label, command: check.command });
  }
  return { remotePath, bytes, sha256 };
}

async function readLocalFile(
  localPath: string,
  remotePath: string,
  context: { host: string; command: string },
): Promise<LocalFileContent> {
  try {
    return await localFileContent(localPath);
  } catch (err) {
    throw new UploadError(
      remotePath,
      `cannot read local file ${localPath}: ${err instanceof Error ? err.message : String(err)}`,
      { ...context, cause: err },
    );
  }
}

/**
 * Maps an SFTP failure to a typed error. A bare FAILURE is what ESXi's (OpenSSH) sftp-server
 * sends for a full disk, so free space is read on the host to tell; a partial file left by a
 * full disk is removed, since a full /tmp (a RAM disk) hurts the host itself.
 */
async function explainTransferError(
  host: UploadTarget,
  err: unknown,
  remotePath: string,
  bytes: number,
  context: { host: string; command: string },
): Promise<unknown> {
  if (!(err instanceof Error)) return err;
  let mapped = mapSftpError(err, remotePath, context);
  if (!(mapped instanceof NoSpaceLeftError) && (err as { code?: unknown }).code === SFTP_FAILURE) {
    const free = await freeBytesAt(host, remotePath, PROBE_TIMEOUT_MS);
    if (free !== undefined && free < bytes) mapped = new NoSpaceLeftError(remotePath, { ...context, cause: err });
  }
  if (mapped instanceof NoSpaceLeftError)
    await host.exec(['rm', '-f', remotePath], { timeoutMs: PROBE_TIMEOUT_MS }).catch(() => undefined);
  return mapped;
}

function mapSftpError(
  err: Error & { code?: unknown },
  remotePath: string,
  context: { host: string; command: string },
): EsxiError {
  if (err instanceof EsxiError) return err;
  const withCause = { ...context, cause: err };
  if (err.code === SFTP_NO_SPACE || err.code === SFTP_QUOTA_EXCEEDED || /no space|disk full|quota/i.test(err.message)) {
    return new NoSpaceLeftError(remotePath, withCause);
  }
  if (err.code === SFTP_NO_SUCH_FILE)
    return new UploadError(remotePath, `the remote directory does not exist (${err.message})`, withCause);
  if (err.code === SFTP_PERMISSION_DENIED)
    return new UploadError(remotePath, `permission denied (${err.message})`, withCause);
  return new UploadError(remotePath, err.message, withCause);
}

async function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  context: { host: string; command: string },
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CommandTimeoutError(timeoutMs, context)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
